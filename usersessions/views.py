from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import ListView

from . import services


class SessionListView(ListView):
    """The logged-in user's active sessions; a POST ends all of them but this one."""

    template_name = "usersessions/session_list.html"
    context_object_name = "sessions"
    extra_context = {"title": _("Where you are signed in")}

    def get_queryset(self):
        sessions = services.sessions_active(user=self.request.user)
        for session in sessions:
            session.is_current = session.session_key == self.request.session.session_key
        return sessions

    def post(self, request, *args, **kwargs) -> HttpResponseRedirect:
        count = services.sessions_end(user=request.user, keep=request.session.session_key)
        if count:
            message = ngettext(
                "Signed out of %d other session.", "Signed out of %d other sessions.", count
            )
            messages.success(request, message % count)
        else:
            messages.info(request, _("You were not signed in anywhere else."))
        return redirect("usersessions:list")
