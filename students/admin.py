from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import ProfileInline, RoleUserAdmin
from accounts.admin_readonly import ReadOnlyAdminMixin

from . import services
from .models import SchoolYearRollover, Student, StudentProfile


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
    actions = (*RoleUserAdmin.actions, "move_up")

    @admin.action(
        description=_("Move up one grade (grade 12: deactivated as leavers)"),
        permissions=["change"],
    )
    def move_up(self, request, queryset):
        result = services.students_move_up(queryset, ran_by=request.user)
        students = ngettext("%d student", "%d students", result.moved_up) % result.moved_up
        message = _("Moved up: %(students)s; left school (grade 12, deactivated): %(left)d.")
        self.message_user(request, message % {"students": students, "left": result.left_school})


@admin.register(SchoolYearRollover)
class SchoolYearRolloverAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Past moves up a grade, as `promote_students` and the student action recorded them."""

    list_display = ("year", "ran_at", "ran_by", "moved_up", "left_school", "forced")
    list_filter = ("forced",)
    ordering = ("-ran_at", "-pk")

    @admin.display(description=_("school year"), ordering="school_year")
    def year(self, rollover: SchoolYearRollover) -> str:
        return rollover.school_year or _("(selected students, from the admin)")
