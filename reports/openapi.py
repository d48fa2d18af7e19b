"""The OpenAPI 3.1 description of the open statistics API (CONTRACTS section 3).

Kept as a Python dict next to the view it describes and served as JSON at
/api/v1/schema/. ``tests/reports/test_openapi.py`` checks a real answer against it
field by field, so a figure added to the API without its description fails the tests.
"""

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluations.choices import LEVELS

COUNT = {"type": "integer", "minimum": 0}


def _count(description) -> dict:
    return {**COUNT, "description": description}


WITHHELD = _(
    "null cho xã, thôn khi số này hoặc số người còn lại dưới 5 (dữ liệu cá nhân nhạy cảm, "
    "không công bố số nhỏ)."
)


def _withheld_count(description) -> dict:
    """A sensitive count: null when withheld (reports.disclosure)."""
    return {
        "type": ["integer", "null"],
        "minimum": 0,
        "description": format_lazy("{} {}", description, WITHHELD),
    }


AREA = {
    "type": "object",
    "description": _("Địa bàn được thống kê (code, name null khi là toàn quốc)."),
    "required": ["code", "name", "level", "edition"],
    "additionalProperties": False,
    "properties": {
        "code": {
            "type": ["string", "null"],
            "pattern": "^([0-9]{2}|[0-9]{3}|[0-9]{5})$",
            "description": _("Mã chính thức: tỉnh 2 số, huyện 3 số, xã 5 số; null: toàn quốc."),
            "examples": ["06"],
        },
        "name": {"type": ["string", "null"], "examples": ["Tỉnh Bắc Kạn"]},
        "level": {
            "type": "string",
            "enum": ["country", "province", "district", "commune"],
        },
        "edition": {"$ref": "#/components/schemas/Edition"},
    },
}

CHILD = {
    "type": "object",
    "description": _("Một địa bàn cấp dưới liền kề (thôn, tổ dân phố không có mã: code null)."),
    "required": ["code", "name", "level", "blocs", "bloc_members", "teams", "team_members"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": ["string", "null"], "examples": ["058"]},
        "name": {"type": "string", "examples": ["Thành phố Bắc Kạn"]},
        "level": {"type": "string", "enum": ["province", "district", "commune", "village"]},
        "blocs": _count(_("Khối dân vận đang hoạt động.")),
        "bloc_members": _count(_("Số lượt thành viên đang tham gia các khối.")),
        "teams": _count(_("Tổ dân vận đang hoạt động.")),
        "team_members": _count(_("Số lượt thành viên đang tham gia các tổ.")),
    },
}

RATING_YEAR = {
    "type": "object",
    "description": (
        _(
            "Kết quả xếp loại đã phê duyệt của một năm theo mức (1–4) và số đơn vị hoạt "
            "động trong năm chưa có kết quả phê duyệt (unrated)."
        )
    ),
    "required": [*(str(lv) for lv in LEVELS), "unrated"],
    "additionalProperties": False,
    "properties": {
        **{
            str(lv): _count(format_lazy(_("Số đơn vị xếp mức {level}."), level=lv)) for lv in LEVELS
        },
        "unrated": _count(_("Đơn vị hoạt động trong năm chưa có kết quả được phê duyệt.")),
    },
}

FIGURES = {
    "communes": _count(_("Số xã, phường, thị trấn (đặc khu) trong địa bàn.")),
    "communes_with_bloc": _count(_("Số xã có Khối dân vận đang hoạt động.")),
    "villages": _count(_("Số thôn, tổ dân phố trong địa bàn.")),
    "villages_with_team": _count(_("Số thôn có Tổ dân vận đang hoạt động.")),
    "blocs": _count(_("Khối dân vận đang hoạt động vào ngày hỏi.")),
    "bloc_members": _count(
        _("Số lượt thành viên đang tham gia các khối (một người ở hai đơn vị: hai lượt).")
    ),
    "teams": _count(_("Tổ dân vận (kể cả tổ cộng đồng) đang hoạt động.")),
    "team_members": _count(_("Số lượt thành viên đang tham gia các tổ.")),
    "people": _count(_("Số người (không tính trùng) đang ở ít nhất một đơn vị đang hoạt động.")),
    "women": _count(_("Trong đó nữ (số người).")),
    "party_members": _withheld_count(_("Trong đó đảng viên (số người).")),
    "ethnic_minority": _withheld_count(
        _("Trong đó người dân tộc thiểu số, không phải Kinh (số người).")
    ),
}

#: The daily work's fields (additive, same version; reports/daily_work.py).
WORK = {
    "activities": {
        "type": "object",
        "description": _(
            "Hoạt động đã ghi, ngày đến ngày hỏi, theo năm (khóa: năm 4 chữ số; năm không có "
            "hoạt động nào thì không có khóa)."
        ),
        "propertyNames": {"pattern": "^[0-9]{4}$"},
        "additionalProperties": COUNT,
    },
    "opinions": {
        "type": "object",
        "description": _("Ý kiến, kiến nghị của nhân dân tính đến ngày hỏi."),
        "required": ["received", "answered", "overdue"],
        "additionalProperties": False,
        "properties": {
            "received": _count(_("Đã tiếp nhận đến ngày hỏi.")),
            "answered": _count(_("Đã trả lời đến ngày hỏi.")),
            "overdue": _count(_("Quá hạn chưa trả lời vào ngày hỏi.")),
        },
    },
    "models": {
        "type": "object",
        "description": _("Mô hình “Dân vận khéo”."),
        "required": ["registered", "recognised"],
        "additionalProperties": False,
        "properties": {
            "registered": _count(_("Đã đăng ký đến ngày hỏi.")),
            "recognised": _count(_("Được công nhận theo quyết định đến ngày hỏi.")),
        },
    },
}

STATS = {
    "type": "object",
    "description": _("Số liệu tổng hợp, không bao giờ có dữ liệu cá nhân."),
    "required": ["area", "date", *FIGURES, *WORK, "ratings", "children"],
    "additionalProperties": False,
    "properties": {
        "area": {"$ref": "#/components/schemas/Area"},
        "date": {
            "type": "string",
            "format": "date",
            "description": _("Ngày tính số liệu (YYYY-MM-DD)."),
            "examples": ["2026-11-21"],
        },
        **FIGURES,
        **WORK,
        "ratings": {
            "type": "object",
            "description": _("Theo năm (khóa: năm 4 chữ số)."),
            "propertyNames": {"pattern": "^[0-9]{4}$"},
            "additionalProperties": {"$ref": "#/components/schemas/RatingYear"},
        },
        "children": {
            "type": "array",
            "description": _("Cấp dưới liền kề, theo thứ tự mã."),
            "items": {"$ref": "#/components/schemas/Child"},
        },
    },
}

ERROR = {
    "type": "object",
    "required": ["error", "status"],
    "additionalProperties": False,
    "properties": {
        "error": {"type": "string", "description": _("Thông báo lỗi bằng tiếng Việt.")},
        "status": {"type": "integer", "description": _("Mã trạng thái HTTP.")},
    },
}

EXAMPLE = {
    "area": {"code": "06", "name": "Tỉnh Bắc Kạn", "level": "province", "edition": "legacy"},
    "date": "2026-11-21",
    "communes": 108,
    "communes_with_bloc": 108,
    "villages": 0,
    "villages_with_team": 0,
    "blocs": 108,
    "bloc_members": 1265,
    "teams": 0,
    "team_members": 0,
    "people": 1265,
    "women": 0,
    "party_members": 0,
    "ethnic_minority": 0,
    "activities": {"2025": 1320, "2026": 1486},
    "opinions": {"received": 512, "answered": 470, "overdue": 9},
    "models": {"registered": 64, "recognised": 41},
    "ratings": {"2024": {"1": 0, "2": 0, "3": 0, "4": 0, "unrated": 0}},
    "children": [
        {
            "code": "058",
            "name": "Thành phố Bắc Kạn",
            "level": "district",
            "blocs": 0,
            "bloc_members": 0,
            "teams": 0,
            "team_members": 0,
        }
    ],
}

PARAMETERS = {
    "code": {
        "name": "code",
        "in": "path",
        "required": True,
        "description": _("Mã tỉnh (2 số), huyện (3 số, danh mục legacy) hoặc xã (5 số)."),
        "schema": {"type": "string", "pattern": "^([0-9]{2}|[0-9]{3}|[0-9]{5})$"},
        "examples": {"province": {"value": "06"}, "commune": {"value": "01834"}},
    },
    "edition": {
        "name": "edition",
        "in": "query",
        "required": False,
        "description": (
            _(
                "Danh mục địa bàn. Mặc định: danh mục duy nhất đã nạp; khi có cả hai: 2025. "
                "Mã của hai danh mục trùng nhau có thể là hai địa bàn khác nhau."
            )
        ),
        "schema": {"$ref": "#/components/schemas/Edition"},
    },
    "date": {
        "name": "date",
        "in": "query",
        "required": False,
        "description": _("Tính các thành viên đang tham gia vào ngày này (mặc định: hôm nay)."),
        "schema": {"type": "string", "format": "date"},
        "example": "2026-11-21",
    },
}


def _error_response(description: str, example: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": {"error": example, "status": int(str(description)[:3])},
            }
        },
    }


def _operation(operation_id: str, summary: str, parameters: list[str], with_404: bool) -> dict:
    responses = {
        "200": {
            "description": _("Số liệu của địa bàn."),
            "headers": {
                "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age=60"}
            },
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Stats"},
                    "example": EXAMPLE,
                }
            },
        },
        "400": _error_response(
            _("400: danh mục hoặc ngày không hợp lệ."),
            _("Ngày phải theo dạng YYYY-MM-DD, ví dụ 2026-11-21."),
        ),
    }
    if with_404:
        responses["404"] = _error_response(
            _("404: không có địa bàn mã này trong danh mục."),
            _("Không có địa bàn mã 99999 trong danh mục legacy."),
        )
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": [_("Thống kê")],
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
            "responses": responses,
        }
    }


SCHEMA = {
    "openapi": "3.1.0",
    "info": {
        "title": _("API thống kê mở: Khối dân vận cơ sở và Tổ dân vận"),
        "version": "1.0.0",
        "description": (
            _(
                "Số liệu tổng hợp công khai, không cần đăng nhập, không có dữ liệu cá nhân: "
                "số khối, tổ, lượt thành viên, số người (không tính trùng), độ phủ, xếp loại "
                "theo năm, và số liệu của cấp dưới liền kề. Hợp đồng cố định: "
                "CONTRACTS mục 3; thay đổi chỉ kèm đổi phiên bản."
            )
        ),
        "license": {"name": "MIT", "identifier": "MIT"},
    },
    "servers": [{"url": "/", "description": _("Máy chủ này")}],
    "paths": {
        "/api/v1/stats/": _operation(
            "stats_installation", _("Số liệu toàn quốc (toàn hệ thống)"), ["edition", "date"], False
        ),
        "/api/v1/stats/{code}/": _operation(
            "stats_area", _("Số liệu một tỉnh, huyện hoặc xã"), ["code", "edition", "date"], True
        ),
    },
    "components": {
        "schemas": {
            "Edition": {
                "type": "string",
                "enum": ["2025", "legacy"],
                "description": _("2025: danh mục từ 01/07/2025; legacy: trước 01/07/2025."),
            },
            "Area": AREA,
            "Child": CHILD,
            "RatingYear": RATING_YEAR,
            "Stats": STATS,
            "Error": ERROR,
        },
        "parameters": PARAMETERS,
    },
}


def _resolved(value):
    """``value`` with every lazy translation made text, in the active language: a fresh
    copy that JSON takes as it is."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_resolved(item) for item in value]
    return value


def openapi_schema() -> dict:
    """A copy of the description in the active language (callers may add a server URL)."""
    return _resolved(SCHEMA)
