from django.contrib import admin

from accounts.admin import ProfileInline, RoleUserAdmin

from .models import Teacher, TeacherProfile


class TeacherProfileInline(ProfileInline):
    model = TeacherProfile


@admin.register(Teacher)
class TeacherAdmin(RoleUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "teacher_profile__subject",
        "is_active",
    )
    list_filter = ("teacher_profile__subject", "is_active", "date_joined")
    list_select_related = ("teacher_profile",)
    inlines = (TeacherProfileInline,)
