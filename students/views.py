from django.utils.decorators import method_decorator

from accounts import views
from accounts.models import Role

from .decorators import student_required


class StudentRegisterView(views.RegisterView):
    role = Role.STUDENT


class StudentLoginView(views.LoginView):
    role = Role.STUDENT


@method_decorator(student_required, name="dispatch")
class StudentHomeView(views.HomeView):
    role = Role.STUDENT
    directory_role = Role.TEACHER
    template_name = "students/home.html"
