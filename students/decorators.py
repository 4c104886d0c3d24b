from accounts.decorators import role_required
from accounts.models import Role

student_required = role_required(Role.STUDENT, login_url="students:login")
