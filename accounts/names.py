"""How a staff account's name is written: Vietnamese order, family name first.

Accounts keep Django's two name columns: ``last_name`` holds the family and middle names
("Nguyễn Văn"), ``first_name`` the given name ("Tỉnh"), by which Vietnamese lists are
sorted. Django's ``User.get_full_name`` writes "first last" ("Tỉnh Nguyễn Văn"), so
``AccountsConfig.ready`` points it at ``full_name_of``: every page, list, export and
message that names an account (``get_full_name`` in code and templates) writes it the
way it is written in Vietnamese, from this one place.
"""

from portal.text import normalize


def full_name_of(user) -> str:
    """ "Nguyễn Văn An": family and middle names (``last_name``) before the given name
    (``first_name``), as Vietnamese names are written."""
    return f"{user.last_name} {user.first_name}".strip()


def display_name(user) -> str:
    """The name to show for an account: its full name, else its username; "—" for none."""
    if user is None:
        return "—"
    return full_name_of(user) or user.get_username()


def split_full_name(full_name: str) -> tuple[str, str]:
    """ "Nguyễn Văn An" -> ("Nguyễn Văn", "An"): the given name is the last word, which
    is also what Vietnamese lists are sorted by."""
    words = normalize(full_name).split(" ")
    return " ".join(words[:-1]), words[-1]


def install_full_name() -> None:
    """Make ``User.get_full_name`` write names in Vietnamese order (``full_name_of``)."""
    from django.contrib.auth import get_user_model

    get_user_model().get_full_name = full_name_of
