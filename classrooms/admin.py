from auditlog.context import disable_auditlog
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import HistoryMixin
from audit.services import audit_bulk

from . import codes, services
from .models import Classroom, Enrollment


class EnrollmentInline(admin.TabularInline):
    """The roster of a class: one row per student, removable, read in one query."""

    model = Enrollment
    fields = ("student", "joined_at")
    readonly_fields = ("student", "joined_at")
    extra = 0
    verbose_name_plural = _("students")

    def get_queryset(self, request):
        # The student is shown as text (a link), not as a widget, and each row's title
        # names the student and the class: no query per row.
        return super().get_queryset(request).select_related("student", "classroom")

    def has_add_permission(self, request, obj=None):
        return False  # new students come through EnrollmentAddInline


class EnrollmentAddForm(forms.ModelForm):
    def validate_unique(self) -> None:
        super().validate_unique()
        # An inline form leaves its foreign key (the class) out of the model's constraint
        # checks, so "this student is already in this class" would be an IntegrityError.
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class EnrollmentAddInline(admin.TabularInline):
    """Blank rows to enroll more students, each picked by searching (autocomplete).

    A plain select would list every student of the school; the autocomplete asks the
    users' admin for 20 at a time, limited to students by the foreign key's
    `limit_choices_to`.
    """

    model = Enrollment
    form = EnrollmentAddForm
    fields = ("student",)
    autocomplete_fields = ("student",)
    extra = 1
    verbose_name = _("student to enroll")
    verbose_name_plural = _("enroll students")

    def get_queryset(self, request):
        return super().get_queryset(request).none()  # the roster is EnrollmentInline's

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Classroom)
class ClassroomAdmin(HistoryMixin, admin.ModelAdmin):
    """Classes. The teacher is picked by searching (teachers only, by `limit_choices_to`).

    The join code is made by the site (new classes get one; the action gives new ones),
    never typed here, so it always comes from the code alphabet.
    """

    list_display = (
        "name",
        "subject",
        "teacher",
        "student_count",
        "join_code_display",
        "is_archived",
        "created_at",
    )
    list_filter = ("is_archived",)
    search_fields = ("name", "join_code", "teacher__username")
    list_select_related = ("teacher",)
    autocomplete_fields = ("teacher",)
    fields = ("name", "subject", "teacher", "is_archived", "join_code_display", "created_at")
    readonly_fields = ("join_code_display", "created_at")
    inlines = (EnrollmentInline, EnrollmentAddInline)
    actions = ("join_codes_reset", "archive")
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).with_student_count()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # A code as it is shown and read out (abcd-2345) finds its class too.
        code = codes.normalize(search_term)
        if code != search_term and codes.is_well_formed(code):
            results |= queryset.filter(join_code=code)
        return results, may_have_duplicates

    @admin.display(description=_("students"), ordering="student_count")
    def student_count(self, classroom: Classroom) -> int:
        return classroom.student_count

    @admin.display(description=_("join code"), ordering="join_code")
    def join_code_display(self, classroom: Classroom) -> str:
        return classroom.join_code_display if classroom.join_code else "-"

    @admin.action(
        description=_("Give the selected classes new join codes (the old ones stop working)"),
        permissions=["change"],
    )
    def join_codes_reset(self, request, queryset):
        count = 0
        with transaction.atomic(), disable_auditlog():
            for classroom in queryset:
                services.join_code_reset(classroom=classroom)
                count += 1
            audit_bulk(model=Classroom, operation="new join codes", counts={"classes": count})
        message = ngettext(
            "Gave %d class a new join code.", "Gave %d classes new join codes.", count
        )
        self.message_user(request, message % count)

    @admin.action(description=_("Archive the selected classes"), permissions=["change"])
    def archive(self, request, queryset):
        count = queryset.order_by().filter(is_archived=False).update(is_archived=True)
        audit_bulk(model=Classroom, operation="archive", counts={"archived": count})
        message = ngettext("Archived %d class.", "Archived %d classes.", count)
        self.message_user(request, message % count)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    """Who is in which class; at the scale of a school, so no full count and no selects."""

    list_display = ("student", "classroom", "classroom_teacher", "joined_at")
    list_filter = ("classroom__is_archived",)
    search_fields = ("classroom__name", "student__username")
    list_select_related = ("student", "classroom__teacher")
    autocomplete_fields = ("classroom", "student")
    readonly_fields = ("joined_at",)
    show_full_result_count = False

    @admin.display(description=_("teacher"), ordering="classroom__teacher__username")
    def classroom_teacher(self, enrollment: Enrollment):
        return enrollment.classroom.teacher
