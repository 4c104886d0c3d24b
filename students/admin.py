from django.contrib import admin

from accounts.admin import ProfileInline, RoleUserAdmin

from .models import Student, StudentProfile


class StudentProfileInline(ProfileInline):
    model = StudentProfile


@admin.register(Student)
class StudentAdmin(RoleUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "student_profile__grade",
        "is_active",
    )
    list_filter = ("student_profile__grade", "is_active", "date_joined")
    list_select_related = ("student_profile",)
    inlines = (StudentProfileInline,)
