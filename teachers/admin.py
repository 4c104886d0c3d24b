from django.contrib import admin

from accounts.admin import RoleUserAdmin
from accounts.models import Role

from .models import Teacher


@admin.register(Teacher)
class TeacherAdmin(RoleUserAdmin):
    role = Role.TEACHER
