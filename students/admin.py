from django.contrib import admin

from accounts.admin import RoleUserAdmin
from accounts.models import Role

from .models import Student


@admin.register(Student)
class StudentAdmin(RoleUserAdmin):
    role = Role.STUDENT
