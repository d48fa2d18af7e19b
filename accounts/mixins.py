"""Access mixins of the staff pages that every app above accounts uses."""

from django.contrib.auth.mixins import UserPassesTestMixin

from accounts.selectors import user_is_portal_staff


class StaffRequiredMixin(UserPassesTestMixin):
    """Logged-in, active staff only (an account with a roster role): anonymous visitors
    go to the login page, other logged-in users get 403. What each staff user sees is
    the selectors' business. A view that asks more overrides ``test_func``."""

    def test_func(self):
        return user_is_portal_staff(self.request.user)
