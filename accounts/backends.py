"""Authentication backends."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import roles

UserModel = get_user_model()


class ProfileModelBackend(ModelBackend):
    """Django's ModelBackend, loading the user's role profile with the user on every request.

    Every logged-in page shows the user's own profile; joining it here saves that query.
    """

    def user_queryset(self):
        """Return the users with every registered role's profile joined (one LEFT JOIN each)."""
        accessors = [config.profile_accessor for config in roles.registered()]
        return UserModel._default_manager.select_related(*accessors)

    def get_user(self, user_id):
        try:
            user = self.user_queryset().get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        try:
            user = await self.user_queryset().aget(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
