from accounts.decorators import role_required
from accounts.models import Role

teacher_required = role_required(Role.TEACHER, login_url="teachers:login")
