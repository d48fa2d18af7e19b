"""The demo accounts a newcomer logs in with (docs/ROLES.md): created, or brought back to
their demo state, by ``generate_demo`` through the account services."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext

from accounts.choices import StaffRole
from accounts.services import (
    account_create,
    account_reactivate,
    account_set_password,
    account_update,
)
from units.choices import Level, UnitKind
from units.models import Area, Unit

User = get_user_model()


#: The one development password of the demo accounts (docs/ROLES.md). Never in production:
#: ``generate_demo`` creates these accounts only when ``settings.PRODUCTION`` is off.
DEMO_PASSWORD = "danvan-demo-2026"  # noqa: S105
DEMO_ADMIN = "quantri"
DEMO_PROVINCE_STAFF = "canbo_tinh"
DEMO_COMMUNE_OFFICER = "canbo_xa"
DEMO_NEWS_EDITOR = "bientap"


@transaction.atomic
def demo_accounts_ensure(*, province: Area, password: str = DEMO_PASSWORD) -> list[str]:
    """Create, or bring back to their demo state, the accounts a newcomer can log in
    with: a system administrator, a news editor, a provincial staffer of ``province``
    and a commune officer of its first commune with a bloc (else its first commune). Returns one
    console line per account. Their password is the documented development one, so they
    are never flagged "must change the password" (the README's logins work at once)."""
    bloc = Unit.objects.under(province).filter(kind=UnitKind.BLOC).order_by("area_path").first()
    commune = (
        bloc.commune
        if bloc is not None
        else Area.objects.subtree(province).filter(level=Level.COMMUNE).order_by("path").first()
    )
    wanted = [
        (DEMO_ADMIN, "Quản Trị Viên", StaffRole.SYSTEM_ADMIN, []),
        (DEMO_NEWS_EDITOR, "Biên Tập Viên", StaffRole.NEWS_EDITOR, []),
        (DEMO_PROVINCE_STAFF, "Cán Bộ Tỉnh", StaffRole.PROVINCE_STAFF, [province]),
    ]
    if commune is not None:
        wanted.append((DEMO_COMMUNE_OFFICER, "Cán Bộ Xã", StaffRole.COMMUNE_OFFICER, [commune]))
    lines = []
    for username, full_name, role, areas in wanted:
        user = User.objects.filter(username=username).first()
        if user is None:
            account_create(
                acting_user=None,
                username=username,
                full_name=full_name,
                role=role,
                areas=areas,
                password=password,
                must_change_password=False,
            )
        else:
            account_update(acting_user=None, user=user, role=role, areas=areas)
            if not user.is_active:
                account_reactivate(acting_user=None, user=user)
            account_set_password(
                acting_user=None, user=user, password=password, must_change_password=False
            )
        where = ", ".join(area.name for area in areas) or gettext("toàn bộ cổng thông tin")
        lines.append(f"  {username} / {password} — {StaffRole(role).label} ({where})")
    return lines
