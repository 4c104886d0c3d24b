"""Pages of classes, and the homes of the roles that teach and attend them."""

import math
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from django_ratelimit.core import get_usage

from accounts.decorators import role_required
from accounts.views import HomeView

from . import services
from .forms import JoinForm
from .models import STUDENT, TEACHER, Classroom, Enrollment


class TeacherHomeView(HomeView):
    """A teacher's home: their account and the classes they teach."""

    role = TEACHER

    def get_context_data(self, **kwargs):
        classes = list(
            Classroom.objects.taught_by(self.request.user)
            .with_student_count()
            .order_by("is_archived", *Classroom._meta.ordering)
        )
        return super().get_context_data(
            classes=[c for c in classes if not c.is_archived],
            archived_classes=[c for c in classes if c.is_archived],
            **kwargs,
        )


class StudentHomeView(HomeView):
    """A student's home: their account, their classes, their teachers, and a form to join."""

    role = STUDENT

    def get_context_data(self, **kwargs):
        classes = list(
            Classroom.objects.attended_by(self.request.user)
            .select_related("teacher__teacher_profile")
            .only(
                "name",
                "subject",
                "is_archived",
                "teacher__first_name",
                "teacher__last_name",
                "teacher__username",
                "teacher__teacher_profile__subject",
            )
            .order_by("is_archived", *Classroom._meta.ordering)
        )
        active = [c for c in classes if not c.is_archived]
        # An archived class is over: its teacher is no longer one of yours.
        teachers = list({c.teacher_id: c.teacher for c in active}.values())
        teachers.sort(key=lambda t: (t.last_name.lower(), t.first_name.lower(), t.username))
        return super().get_context_data(
            classes=active,
            archived_classes=[c for c in classes if c.is_archived],
            teachers=teachers,
            join_form=JoinForm(),
            **kwargs,
        )


def join_attempt_rate(group: str, request: HttpRequest) -> str | None:
    """Return the rate of wrong join codes a student may type (None: no limit)."""
    rate = settings.JOIN_ATTEMPT_RATE
    return None if rate.lower() == "off" else rate


class JoinMixin:
    """What the join form and the join link share: students only, and a limit on wrong codes.

    Only wrong codes count, per student (JOIN_ATTEMPT_RATE). A student who has used them all
    is refused even a right code until the window ends: otherwise guessing would go on.
    """

    limited_template_name = "classrooms/join_limited.html"

    @classmethod
    def as_view(cls, **initkwargs):
        return role_required(STUDENT)(super().as_view(**initkwargs))

    def wrong_codes(self, *, count: bool = False) -> dict | None:
        """Return the student's counter of wrong codes (None: no limit), adding one if `count`."""
        return get_usage(
            self.request, group="class_join", key="user", rate=join_attempt_rate, increment=count
        )

    def count_wrong_code(self) -> None:
        self.wrong_codes(count=True)

    def limit_reached(self) -> HttpResponse | None:
        """Return the 429 page if the student has no wrong code left, else None."""
        usage = self.wrong_codes()
        if usage is None or usage["count"] < usage["limit"]:
            return None
        minutes = max(1, math.ceil(usage["time_left"] / 60))
        return render(
            self.request,
            self.limited_template_name,
            {"minutes": minutes},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )

    def joined(self, classroom: Classroom, created: bool) -> HttpResponse:
        if created:
            messages.success(self.request, _("You joined %(name)s.") % {"name": classroom.name})
        else:
            messages.info(
                self.request, _("You are already in %(name)s.") % {"name": classroom.name}
            )
        return redirect("classrooms:detail", pk=classroom.pk)


class JoinView(JoinMixin, FormView):
    """Join a class by typing its code; a wrong code is a form error, and counts."""

    form_class = JoinForm
    template_name = "classrooms/join.html"
    extra_context = {"title": _("Join a class")}

    def post(self, request, *args, **kwargs):
        return self.limit_reached() or super().post(request, *args, **kwargs)

    def form_valid(self, form: JoinForm) -> HttpResponse:
        try:
            classroom, created = services.classroom_join(
                student=self.request.user, code=form.cleaned_data["code"]
            )
        except services.JoinRefused as refusal:
            self.count_wrong_code()
            form.add_error("code", refusal)
            return self.form_invalid(form)
        return self.joined(classroom, created)


class JoinLinkView(JoinMixin, TemplateView):
    """A join link a teacher shares: GET names the class and its teacher, POST joins.

    A code that opens no class (mistyped, replaced, or the class archived) answers 404 and
    counts as a wrong code: a link is a code typed into the address bar.
    """

    template_name = "classrooms/join_link.html"
    invalid_template_name = "classrooms/join_link_invalid.html"

    def dispatch(self, request, *args, **kwargs):
        if limited := self.limit_reached():
            return limited
        try:
            self.classroom = services.classroom_for_code(kwargs["code"])
        except services.JoinRefused:
            self.count_wrong_code()
            return render(request, self.invalid_template_name, status=HTTPStatus.NOT_FOUND)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        enrolled = Enrollment.objects.filter(
            classroom=self.classroom, student=self.request.user
        ).exists()
        return super().get_context_data(classroom=self.classroom, enrolled=enrolled, **kwargs)

    def post(self, request, *args, **kwargs):
        created = services.enrollment_add(classroom=self.classroom, student=request.user)
        return self.joined(self.classroom, created)
