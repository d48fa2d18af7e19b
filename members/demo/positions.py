"""Who sits in a bloc or a team: the jobs its members hold elsewhere (with the share of
women and Party members and the birth years of each), and when units were founded."""

from __future__ import annotations

import dataclasses
import datetime
import random

from units.choices import Edition, UnitKind


@dataclasses.dataclass(frozen=True)
class Position:
    """A job held elsewhere, with who usually holds it: the share of women, of Party
    members, and the range of birth years. ``{t}`` is the commune's type word (xã,
    phường ...), ``{h}`` the village head's title, ``{s}`` the commune's short name."""

    title: str
    women: float
    party: float
    born: tuple[int, int]


def _pos(title, women, party, born_from, born_to):
    return Position(title, women, party, (born_from, born_to))


BLOC_HEADS = [
    (_pos("Phó Bí thư Thường trực Đảng ủy {t}", 0.15, 1, 1966, 1984), 50),
    (_pos("Phó Bí thư Đảng ủy {t}", 0.2, 1, 1968, 1986), 30),
    (_pos("Bí thư Đảng ủy {t}", 0.12, 1, 1965, 1982), 20),
]
BLOC_FRONT_CHAIR = _pos("Chủ tịch Ủy ban MTTQ Việt Nam {t}", 0.25, 1, 1965, 1988)
BLOC_VICE_CHAIRS = [
    _pos("Phó Chủ tịch UBND {t}", 0.25, 1, 1970, 1990),
    _pos("Phó Chủ tịch HĐND {t}", 0.3, 1, 1968, 1988),
]
#: Always on a bloc, in this order, as far as its size allows.
BLOC_CORE = [
    _pos("Chủ tịch Hội Liên hiệp Phụ nữ {t}", 1, 0.95, 1972, 1992),
    _pos("Chủ tịch Hội Nông dân {t}", 0.2, 0.95, 1962, 1985),
    _pos("Chủ tịch Hội Cựu chiến binh {t}", 0.03, 1, 1955, 1968),
    _pos("Bí thư Đoàn Thanh niên {t}", 0.4, 0.9, 1988, 2000),
    _pos("Trưởng Công an {t}", 0.05, 1, 1972, 1990),
]
#: Filling the rest of a bloc, in random order.
BLOC_EXTRA = [
    _pos("Chỉ huy trưởng Ban Chỉ huy Quân sự {t}", 0.02, 1, 1975, 1992),
    _pos("Công chức Văn hóa - Xã hội {t}", 0.5, 0.85, 1980, 1996),
    _pos("Chủ tịch Hội Người cao tuổi {t}", 0.2, 0.9, 1955, 1962),
    _pos("Phó Chủ tịch Ủy ban MTTQ Việt Nam {t}", 0.4, 0.9, 1970, 1990),
    _pos("Trạm trưởng Trạm Y tế {t}", 0.5, 0.9, 1970, 1990),
    _pos("Hiệu trưởng Trường Tiểu học {s}", 0.6, 0.95, 1968, 1985),
    _pos("Chủ tịch Hội Khuyến học {t}", 0.3, 0.85, 1955, 1965),
]
BLOC_ELDER = _pos("Người có uy tín trong đồng bào dân tộc thiểu số", 0.1, 0.6, 1955, 1968)
#: A bloc member who is a village's Party secretary (and that village team's head).
BLOC_VILLAGE_SECRETARY = _pos("Bí thư chi bộ {v}", 0.15, 1, 1962, 1985)

TEAM_HEAD = _pos("Bí thư chi bộ", 0.12, 1, 1958, 1985)
TEAM_HEAD_AND_VILLAGE_HEAD = _pos("Bí thư chi bộ kiêm {h}", 0.1, 1, 1960, 1985)
TEAM_VILLAGE_HEAD = _pos("{h}", 0.15, 0.7, 1960, 1988)
TEAM_FRONT_HEAD = _pos("Trưởng ban công tác Mặt trận", 0.3, 0.6, 1955, 1980)
TEAM_DEPUTY_SECRETARY = _pos("Phó Bí thư chi bộ", 0.2, 1, 1962, 1988)
TEAM_WOMEN = _pos("Chi hội trưởng Phụ nữ", 1, 0.3, 1965, 1992)
TEAM_FARMERS = _pos("Chi hội trưởng Nông dân", 0.15, 0.35, 1958, 1985)
TEAM_VETERANS = _pos("Chi hội trưởng Cựu chiến binh", 0.02, 0.8, 1955, 1968)
TEAM_YOUTH = _pos("Bí thư Chi đoàn", 0.4, 0.35, 1990, 2000)
TEAM_MILITIA = {
    "ấp": _pos("Ấp đội trưởng", 0.02, 0.45, 1980, 1998),
    None: _pos("Thôn đội trưởng", 0.02, 0.45, 1980, 1998),
}
#: Village security: "công an viên" until the 2024 law on grassroots security forces,
#: then the head of the village's security and order team.
TEAM_SECURITY = {
    Edition.LEGACY: _pos("Công an viên", 0.05, 0.35, 1975, 1995),
    Edition.V2025: _pos("Tổ trưởng Tổ bảo vệ an ninh, trật tự", 0.05, 0.35, 1972, 1995),
}
TEAM_ELDERS = _pos("Chi hội trưởng Người cao tuổi", 0.25, 0.5, 1955, 1962)
TEAM_EXTRA = [
    _pos("Chi hội trưởng Khuyến học", 0.4, 0.4, 1955, 1975),
    _pos("Tổ trưởng Tổ hòa giải", 0.2, 0.5, 1955, 1975),
    _pos("Trưởng ban Thanh tra nhân dân", 0.2, 0.7, 1958, 1978),
    _pos("Chi hội trưởng Chữ thập đỏ", 0.6, 0.4, 1965, 1990),
]
TEAM_RESPECTED = _pos("Người có uy tín", 0.1, 0.5, 1955, 1970)
#: Residents who take part in a community team (Tổ Dân vận cộng đồng).
COMMUNITY_MEMBERS = [
    _pos("Trưởng dòng họ", 0.0, 0.3, 1955, 1970),
    _pos("Đại diện hộ dân", 0.4, 0.1, 1960, 1995),
]


# --- Dates ----------------------------------------------------------------------------

#: When units were founded, by edition and kind: legacy blocs after the 2020 Party
#: congresses, teams 2021-2024; 2025 blocs were re-formed after the merged communes took
#: office on 01/07/2025, while village teams carried on from before.
FOUNDED = {
    (Edition.LEGACY, UnitKind.BLOC): (datetime.date(2020, 10, 1), datetime.date(2022, 6, 30)),
    (Edition.LEGACY, "team"): (datetime.date(2021, 1, 15), datetime.date(2024, 10, 31)),
    (Edition.V2025, UnitKind.BLOC): (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
    (Edition.V2025, "team"): (datetime.date(2021, 1, 15), datetime.date(2024, 10, 31)),
}
#: Latest date a generated departure can have (then capped at today).
LAST_END = datetime.date(2026, 9, 30)


def date_between(rng: random.Random, start: datetime.date, end: datetime.date):
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
