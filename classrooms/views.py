"""Pages of classes, and the homes of the roles that teach and attend them."""

from accounts.views import HomeView

from .models import STUDENT, TEACHER, Classroom


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
    """A student's home: their account, their classes and the teachers of those classes."""

    role = STUDENT

    def get_context_data(self, **kwargs):
        classes = list(
            Classroom.objects.attended_by(self.request.user)
            .select_related("teacher__teacher_profile")
            .only(
                "name",
                "subject",
                "teacher__first_name",
                "teacher__last_name",
                "teacher__username",
                "teacher__teacher_profile__subject",
            )
        )
        teachers = list({c.teacher_id: c.teacher for c in classes}.values())
        teachers.sort(key=lambda t: (t.last_name, t.first_name, t.username))
        return super().get_context_data(classes=classes, teachers=teachers, **kwargs)
