from django.utils.decorators import method_decorator

from accounts import views
from accounts.models import Role

from .decorators import teacher_required


class TeacherRegisterView(views.RegisterView):
    role = Role.TEACHER


class TeacherLoginView(views.LoginView):
    role = Role.TEACHER


@method_decorator(teacher_required, name="dispatch")
class TeacherHomeView(views.HomeView):
    role = Role.TEACHER
    directory_role = Role.STUDENT
    template_name = "teachers/home.html"
