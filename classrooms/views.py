"""Pages of classes, and the homes of the roles that teach and attend them."""

import math
import secrets
from http import HTTPStatus
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView, View
from django_ratelimit.core import get_usage

from accounts.decorators import role_required
from accounts.models import User
from accounts.views import HomeView, SearchableListMixin

from . import services
from .forms import (
    ClassroomCreateForm,
    ClassroomForm,
    JoinForm,
    StudentsAddForm,
    StudentsCreateForm,
)
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


@method_decorator(role_required(TEACHER), name="dispatch")
class ClassroomCreateView(CreateView):
    """A teacher opens a new class, with a fresh join code, and lands on its page."""

    form_class = ClassroomCreateForm
    template_name = "classrooms/classroom_form.html"
    extra_context = {"title": _("New class")}

    def form_valid(self, form: ClassroomCreateForm):
        try:
            self.object = services.classroom_create(teacher=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Class “%(name)s” created. Share its join code with your students.")
            % {"name": self.object.name},
        )
        return redirect("classrooms:detail", pk=self.object.pk)


class TaughtClassMixin:
    """A page of one class for its teacher: anyone else gets 404, whatever the method.

    The class is looked up before the method is checked, so a GET of a POST-only page of a
    class that is not yours is a 404 too, not a 405 that would tell the class exists.
    """

    def dispatch(self, request, *args, **kwargs):
        self.classroom = get_object_or_404(
            Classroom.objects.taught_by(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(classroom=self.classroom, **kwargs)


class ClassroomDetailView(SearchableListMixin, ListView):
    """A class's page: for its teacher, the roster and the join code; for its students, the
    class and its teacher only."""

    template_name = "classrooms/classroom_detail.html"
    member_template_name = "classrooms/classroom_member.html"

    def dispatch(self, request, *args, **kwargs):
        # Looked up before the method is checked, as in TaughtClassMixin.
        self.classroom = get_object_or_404(
            Classroom.objects.visible_to(request.user).select_related("teacher"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.classroom.teacher_id != request.user.pk:
            # Visible but not taught: an enrolled student. No roster, no code.
            return TemplateResponse(
                request, self.member_template_name, {"classroom": self.classroom}
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        students = (
            self.classroom.students.select_related("student_profile")
            .only("first_name", "last_name", "username", "email", "student_profile__grade")
            .by_name()
        )
        if query := self.search_query():
            students = students.search(query)
        return students

    def get_context_data(self, **kwargs):
        join_link = self.request.build_absolute_uri(
            reverse("classrooms:join_link", kwargs={"code": self.classroom.join_code})
        )
        return super().get_context_data(
            classroom=self.classroom,
            join_link=join_link,
            add_form=StudentsAddForm(),
            **kwargs,
        )


class ClassroomUpdateView(TaughtClassMixin, UpdateView):
    """Its teacher renames a class, or archives it (an archived class accepts no one)."""

    form_class = ClassroomForm
    template_name = "classrooms/classroom_form.html"
    extra_context = {"title": _("Edit class")}

    def get_object(self, queryset=None) -> Classroom:
        return self.classroom

    def form_valid(self, form: ClassroomForm):
        messages.success(self.request, _("Class saved."))
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("classrooms:detail", kwargs={"pk": self.classroom.pk})


class JoinCodeResetView(TaughtClassMixin, View):
    """POST: give the class a new join code; the old one stops working at once."""

    def post(self, request, *args, **kwargs):
        services.join_code_reset(classroom=self.classroom)
        messages.success(
            request,
            _("New join code: %(code)s. The old code and link no longer work.")
            % {"code": self.classroom.join_code_display},
        )
        return redirect("classrooms:detail", pk=self.classroom.pk)


def archived_refusal(request: HttpRequest, classroom: Classroom) -> HttpResponse:
    messages.error(request, _("This class is archived: reopen it to add students."))
    return redirect("classrooms:detail", pk=classroom.pk)


class StudentsAddView(TaughtClassMixin, View):
    """POST: enroll the students a pasted list names, and report what became of each line."""

    template_name = "classrooms/students_add.html"
    result_template_name = "classrooms/students_add_result.html"

    def post(self, request, *args, **kwargs):
        if self.classroom.is_archived:
            return archived_refusal(request, self.classroom)
        form = StudentsAddForm(request.POST)
        if not form.is_valid():
            context = {"classroom": self.classroom, "form": form, "title": _("Add students")}
            return TemplateResponse(request, self.template_name, context)
        result = form.save(classroom=self.classroom)
        return TemplateResponse(
            request, self.result_template_name, {"classroom": self.classroom, "result": result}
        )


class StudentRemoveView(TaughtClassMixin, View):
    """GET: ask to confirm; POST: take the student out of the class (their account stays)."""

    template_name = "classrooms/student_remove.html"

    def get_student(self):
        return get_object_or_404(
            self.classroom.students.only("first_name", "last_name", "username"),
            pk=self.kwargs["student_id"],
        )

    def get(self, request, *args, **kwargs):
        context = {"classroom": self.classroom, "student": self.get_student()}
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        student = self.get_student()
        services.enrollment_remove(classroom=self.classroom, student=student)
        messages.success(
            request,
            _("%(name)s is no longer in this class.")
            % {"name": student.get_full_name() or student.get_username()},
        )
        return redirect("classrooms:detail", pk=self.classroom.pk)


class LoginCard(NamedTuple):
    """What a child needs to log in the first time, printed on a card: shown once."""

    student: User
    password: str


class LoginCardsMixin:
    """Answer with login cards, directly: the one-time passwords are in this response only.

    No redirect to a page that could show them again; the response is not stored by the
    browser (Cache-Control: no-store, as every page for a logged-in user), and the
    passwords are kept nowhere but as hashes.
    """

    cards_template_name = "classrooms/login_cards.html"

    def cards(self, accounts: list[tuple[User, str]], **context) -> HttpResponse:
        login_url = self.request.build_absolute_uri(reverse("students:login"))
        context |= {
            "classroom": self.classroom,
            "cards": [LoginCard(student, password) for student, password in accounts],
            "login_url": login_url,
        }
        return TemplateResponse(self.request, self.cards_template_name, context)


class StudentsCreateView(TaughtClassMixin, LoginCardsMixin, FormView):
    """Accounts for children without email: names in, one login card each out."""

    form_class = StudentsCreateForm
    template_name = "classrooms/students_new.html"
    extra_context = {"title": _("Create student accounts")}
    # How long a shown form remembers that it was sent (a resubmission later creates a new
    # batch: by then the teacher has their cards or has lost them).
    batch_timeout = 60 * 60 * 24

    def get(self, request, *args, **kwargs):
        if self.classroom.is_archived:
            return archived_refusal(request, self.classroom)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.classroom.is_archived:
            return archived_refusal(request, self.classroom)
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"batch": secrets.token_urlsafe(16)}

    def form_valid(self, form: StudentsCreateForm) -> HttpResponse:
        batch = form.cleaned_data["batch"]
        key = f"classrooms:students_new:{batch}"
        if batch and not cache.add(key, True, timeout=self.batch_timeout):
            # The same form sent again: a reload of the cards, or a second click.
            messages.warning(
                self.request,
                _(
                    "These accounts were already created: they are on the roster. To print a "
                    "student's card again, reset their password."
                ),
            )
            return redirect("classrooms:detail", pk=self.classroom.pk)
        try:
            accounts = form.save(classroom=self.classroom)
        except Exception:
            if batch:
                cache.delete(key)  # nothing was created: the form may be sent again
            raise
        return self.cards(accounts)


class StudentPasswordView(TaughtClassMixin, LoginCardsMixin, View):
    """POST: a new one-time password for a student of the class, on one card.

    Only the class's students are found here (anyone else: 404), and only students: a
    teacher or staff account is never enrolled, and is not looked for among the others.
    """

    def post(self, request, *args, **kwargs):
        student = get_object_or_404(
            self.classroom.students.filter(role=STUDENT), pk=kwargs["student_id"]
        )
        password = services.student_password_reset(
            classroom=self.classroom, student=student, by=request.user
        )
        return self.cards([(student, password)], reset=True)
