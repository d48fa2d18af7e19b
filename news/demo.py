# ruff: noqa: E501, S311 -- the articles' prose is kept one paragraph a line; random only
# picks demo content, nothing secret.
"""Made-up news for the demo data (``manage.py generate_demo``): a few dozen Vietnamese
bulletins about the provinces and communes of the demo, with pictures drawn locally by
Pillow. Every text here was written for this project.

All writes go through ``news.services`` (no acting user: the system), so the bodies are
sanitized, the slugs made and the audit trail kept as for any article. Most articles
are published on dates spread over the last months, a few are scheduled for the coming
days, a few archived and a couple left as drafts. A second run adds nothing.
"""

import dataclasses
import datetime
import random

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from news import images, services
from news.choices import IMAGE_WIDTHS
from news.models import Article, Category, Image
from portal.audit import audit_context
from units.choices import Level
from units.models import Area

DEMO_REASON = "Dữ liệu mẫu (generate_demo)"
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)
SIZE = (1200, 675)

CATEGORIES = [
    ("hoat-dong-khoi-dan-van", "Hoạt động Khối dân vận", "Hội nghị, đối thoại, sơ kết của các Khối dân vận cơ sở."),
    ("to-dan-van", "Tổ dân vận thôn, tổ dân phố", "Việc làm của các Tổ dân vận ở thôn, bản, tổ dân phố."),
    ("dan-van-kheo", "Gương “Dân vận khéo”", "Mô hình hay, cách làm sáng tạo, người tốt việc tốt."),
    ("huong-dan-nghiep-vu", "Hướng dẫn, nghiệp vụ", "Hướng dẫn, tập huấn và tiêu chí đánh giá."),
    ("doi-song-co-so", "Đời sống cơ sở", "Y tế, môi trường, an ninh trật tự ở khu dân cư."),
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Picture:
    key: str
    alt: str
    label: str
    sky: tuple
    ground: tuple


PICTURES = [
    Picture("duong-thon", "Tranh minh họa: con đường bê tông mới chạy giữa những ngôi nhà và hàng cây của một thôn vùng núi", "Đường thôn mới", (120, 180, 235), (96, 160, 80)),
    Picture("hoi-nghi", "Tranh minh họa: hội trường có băng rôn đỏ, đại biểu ngồi quanh bàn họp", "Hội nghị Khối dân vận", (240, 226, 200), (170, 60, 50)),
    Picture("y-te", "Tranh minh họa: trạm y tế xã với biểu tượng chữ thập xanh và hàng người chờ khám", "Chiến dịch y tế", (200, 235, 235), (60, 150, 150)),
    Picture("hoa-giai", "Tranh minh họa: hai người bắt tay bên bờ ruộng, tổ hòa giải đứng bên cạnh", "Hòa giải ở cơ sở", (250, 214, 150), (130, 170, 70)),
    Picture("tap-huan", "Tranh minh họa: lớp tập huấn với bảng viết và học viên ngồi theo hàng", "Tập huấn nghiệp vụ", (225, 230, 245), (90, 100, 150)),
    Picture("nuoc-sach", "Tranh minh họa: đường ống và bể chứa nước sạch cạnh nhà văn hóa thôn", "Nước sạch cho bản", (180, 215, 250), (70, 120, 190)),
    Picture("lang-xanh", "Tranh minh họa: đường làng hai bên trồng hoa, mặt trời buổi sáng", "Đường làng xanh", (255, 230, 180), (110, 175, 90)),
    Picture("an-toan-mang", "Tranh minh họa: chiếc điện thoại với tấm khiên bảo vệ, cảnh báo lừa đảo qua mạng", "Cảnh giác lừa đảo", (235, 225, 250), (120, 80, 160)),
]  # fmt: skip

# Each topic: category slug, picture key, title, summary, paragraphs, an inline picture
# (key and caption) or None. Placeholders: {commune}, {village}, {province}, {quarter},
# {year}, {count}, {length}, {households}.
TOPICS = [
    (
        "hoat-dong-khoi-dan-van", "hoi-nghi",
        "Khối dân vận {commune} sơ kết công tác quý {quarter} năm {year}",
        "Khối dân vận {commune} đánh giá kết quả quý {quarter}, chỉ ra những việc còn chậm và thống nhất ba nhiệm vụ trọng tâm cho quý tới.",
        [
            "Dự hội nghị có đủ các thành viên Khối dân vận, đại diện Ủy ban MTTQ và các đoàn thể chính trị - xã hội của {commune}. Đồng chí trưởng khối chủ trì, điểm lại từng nhóm việc đã giao từ đầu quý.",
            "Trong quý, các thành viên khối đã tham dự {count} buổi sinh hoạt ở thôn, tiếp nhận và chuyển tới cấp ủy hơn 40 ý kiến của người dân, chủ yếu về đường giao thông nội đồng, nước tưới và thủ tục đất đai.",
            "Hội nghị thẳng thắn nhận xét: một số thôn chưa báo cáo đúng hạn, việc ghi chép sổ theo dõi ý kiến nhân dân còn sơ sài. Khối thống nhất mỗi thành viên phụ trách một thôn, nắm tình hình hằng tháng.",
            "Ba nhiệm vụ của quý tới gồm: vận động nhân dân tham gia làm đường, tuyên truyền chính sách bảo hiểm y tế, và rà soát hoạt động của các Tổ dân vận trước kỳ đánh giá cuối năm.",
        ],
        None,
    ),
    (
        "dan-van-kheo", "duong-thon",
        "Mô hình “Dân vận khéo” giúp {village} làm {length} mét đường bê tông",
        "Không cần đền bù, người dân {village} ({commune}) tự nguyện góp đất, góp ngày công để con đường vào thôn được mở rộng và đổ bê tông trước mùa mưa.",
        [
            "Con đường đất dẫn vào {village} từng lầy lội mỗi mùa mưa, xe máy chở nông sản khó đi. Tổ dân vận thôn đã họp dân nhiều lần, lắng nghe từng hộ có đất giáp đường trước khi bàn cách làm.",
            "Theo tổ trưởng Tổ dân vận, điều quan trọng là công khai: dự toán, phần Nhà nước hỗ trợ xi măng và phần dân góp đều được dán ở nhà văn hóa. Hộ nào còn băn khoăn, tổ đến tận nhà giải thích.",
            "Kết quả, {households} hộ đã hiến đất, tháo dỡ tường rào; bà con góp hơn 600 ngày công. Sau hai tháng, {length} mét đường bê tông rộng 3,5 mét đã hoàn thành.",
            "Mô hình được Ban Dân vận đánh giá là cách làm “Dân vận khéo” tiêu biểu và đề nghị nhân rộng ra các thôn khác trong xã.",
        ],
        ("duong-thon", "Đoạn đường mới đổ bê tông do người dân góp công (tranh minh họa)."),
    ),
    (
        "to-dan-van", "hoa-giai",
        "Tổ dân vận {village} hòa giải thành vụ tranh chấp ranh giới đất",
        "Sau ba buổi gặp gỡ, hai gia đình ở {village} ({commune}) đã thống nhất cắm lại mốc ranh giới, chấm dứt mâu thuẫn kéo dài gần hai năm.",
        [
            "Mâu thuẫn bắt đầu từ một bờ rào xây lấn vài chục phân sang phần đất vườn nhà bên cạnh. Hai gia đình vốn là họ hàng nhưng đã nhiều tháng không nói chuyện với nhau.",
            "Nắm được sự việc, Tổ dân vận thôn phối hợp với tổ hòa giải và cán bộ địa chính xã đến từng nhà nghe hai bên trình bày, rồi cùng đối chiếu bản đồ địa chính và giấy tờ của mỗi hộ.",
            "Tại buổi gặp thứ ba ở nhà văn hóa, hai gia đình đồng ý để cán bộ đo đạc cắm lại mốc. Phần tường xây lấn được gia đình tự tháo dỡ, hai bên ký biên bản hòa giải thành.",
            "Từ đầu năm, Tổ dân vận {village} đã tham gia hòa giải thành {count} vụ việc, không để phát sinh đơn thư vượt cấp.",
        ],
        None,
    ),
    (
        "doi-song-co-so", "y-te",
        "{Commune} ra quân chiến dịch tiêm chủng và khám sức khỏe người cao tuổi",
        "Các đoàn thể và Tổ dân vận ở {commune} đến từng hộ nhắc lịch, đưa đón người già và trẻ nhỏ tới trạm y tế trong đợt tiêm chủng, khám sức khỏe.",
        [
            "Trước ngày ra quân, các Tổ dân vận rà soát danh sách trẻ trong độ tuổi tiêm chủng và người từ 60 tuổi trở lên ở từng thôn, đánh dấu những người ở xa, đi lại khó khăn.",
            "Chi hội Phụ nữ và Đoàn Thanh niên chia nhau đến từng nhà nhắc lịch; nhiều thành viên dùng xe máy của gia đình đưa người già tới trạm y tế.",
            "Sau một tuần, trạm y tế đã tiêm cho hơn {count} trẻ và khám, tư vấn sức khỏe cho gần 300 người cao tuổi. Những người cần theo dõi thêm được hẹn lịch tái khám.",
            "Trạm y tế ghi nhận tỷ lệ tiêm chủng đúng lịch năm nay cao hơn năm trước, nhờ cách làm đến tận nhà, nói chuyện bằng tiếng của đồng bào.",
        ],
        ("y-te", "Người dân chờ khám sức khỏe tại trạm y tế xã (tranh minh họa)."),
    ),
    (
        "huong-dan-nghiep-vu", "tap-huan",
        "Tập huấn nghiệp vụ cho tổ trưởng Tổ dân vận ở {province}",
        "Hơn trăm tổ trưởng Tổ dân vận được hướng dẫn cách nắm tình hình, ghi sổ theo dõi ý kiến nhân dân và tự đánh giá theo bộ tiêu chí mới.",
        [
            "Lớp tập huấn dành cho tổ trưởng, tổ phó các Tổ dân vận, chia thành nhiều đợt để người ở xa không phải đi lại nhiều ngày.",
            "Học viên được hướng dẫn cách ghi sổ theo dõi: ai phản ánh, nội dung gì, đã chuyển tới đâu và kết quả giải quyết. Những ý kiến chưa được trả lời phải được nhắc lại ở kỳ họp sau.",
            "Phần thảo luận dành nhiều thời gian cho các tình huống thường gặp: vận động hộ dân chấp hành quy hoạch, hòa giải mâu thuẫn trong gia đình, tuyên truyền phòng chống ma túy.",
            "Cuối lớp, mỗi tổ trưởng xây dựng một kế hoạch hoạt động cho tổ mình trong sáu tháng tới, gửi Khối dân vận xã theo dõi.",
        ],
        ("tap-huan", "Học viên thảo luận tình huống tại lớp tập huấn (tranh minh họa)."),
    ),
    (
        "huong-dan-nghiep-vu", "tap-huan",
        "Hướng dẫn tự đánh giá, xếp loại Tổ dân vận năm {year}",
        "Những điểm mới trong cách tự chấm điểm của Tổ dân vận năm {year}: nhóm tiêu chí, điểm tối đa, và các trường hợp không được xếp loại hoàn thành xuất sắc.",
        [
            "Bộ tiêu chí năm nay gồm bốn nhóm: nắm tình hình và phản ánh ý kiến nhân dân; tuyên truyền, vận động; tham gia giải quyết vụ việc ở cơ sở; và sinh hoạt, chế độ báo cáo của tổ.",
            "Mỗi tiêu chí có mức điểm tối đa và cách tính cụ thể. Tổ nào để xảy ra điểm nóng về an ninh trật tự trên địa bàn thì không được xếp loại hoàn thành xuất sắc nhiệm vụ, dù tổng điểm cao.",
            "Trình tự: Tổ dân vận tự đánh giá, gửi Đảng ủy xã đề xuất; cấp trên xem xét, điều chỉnh nếu cần và phê duyệt. Kết quả sau khi phê duyệt được khóa để tổng hợp.",
            "Các xã hoàn thành việc tự đánh giá trước ngày 15/12/{year}, nhập kết quả trên cổng thông tin để tránh cộng điểm bằng tay.",
        ],
        None,
    ),
    (
        "dan-van-kheo", "lang-xanh",
        "Người dân {village} hiến đất mở rộng đường liên thôn",
        "Nhờ Tổ dân vận kiên trì vận động, {households} hộ ở {village} ({commune}) đã tự nguyện hiến đất để mở rộng tuyến đường liên thôn.",
        [
            "Tuyến đường liên thôn qua {village} nhỏ hẹp, hai xe máy tránh nhau đã khó. Khi xã có chủ trương mở rộng, Tổ dân vận nhận nhiệm vụ đi vận động từng hộ có đất dọc tuyến.",
            "Có gia đình ban đầu chưa đồng ý vì phải chặt mấy gốc cây ăn quả. Tổ trưởng cùng trưởng thôn đến nhà nhiều lần, mời cả người con đi làm xa về cùng bàn.",
            "Cuối cùng, {households} hộ đã ký cam kết hiến đất. Phần cây cối trên đất được bà con tự thu dọn; thôn tổ chức cảm ơn các gia đình tại buổi họp dân.",
            "Đường mở rộng giúp xe chở nông sản vào tận thôn, giá bán của bà con vì thế cũng tốt hơn.",
        ],
        ("lang-xanh", "Tuyến đường liên thôn sau khi được mở rộng (tranh minh họa)."),
    ),
    (
        "hoat-dong-khoi-dan-van", "nuoc-sach",
        "Khối dân vận {commune} đối thoại với nhân dân về công trình nước sạch",
        "Tại buổi đối thoại, người dân {commune} nêu nhiều câu hỏi về giá nước, lịch thi công và việc đào đường để đặt ống; lãnh đạo xã trả lời từng ý kiến.",
        [
            "Buổi đối thoại do Khối dân vận {commune} phối hợp với Ủy ban nhân dân xã tổ chức tại hội trường, có đại diện đơn vị thi công tham dự.",
            "Nhiều người băn khoăn về việc đào đường đặt ống trong mùa thu hoạch. Đơn vị thi công cam kết làm từng đoạn ngắn, hoàn trả mặt đường ngay trong ngày.",
            "Về giá nước, lãnh đạo xã giải thích mức giá theo quy định của tỉnh và chính sách hỗ trợ cho hộ nghèo, hộ cận nghèo. Các ý kiến chưa trả lời được tại chỗ được ghi lại, hẹn trả lời bằng văn bản.",
            "Khối dân vận giao các Tổ dân vận theo dõi quá trình thi công ở từng thôn và phản ánh kịp thời những vướng mắc.",
        ],
        ("nuoc-sach", "Bể chứa của công trình cấp nước sạch (tranh minh họa)."),
    ),
    (
        "to-dan-van", "lang-xanh",
        "Tổ dân vận {village} vận động xóa nhà tạm cho hộ khó khăn",
        "Tổ dân vận {village} cùng các đoàn thể vận động tiền, vật liệu và ngày công, giúp một gia đình khó khăn có nhà mới trước Tết.",
        [
            "Căn nhà tạm của gia đình ông bà đã xuống cấp, mái dột, vách đất nứt nhiều chỗ. Tổ dân vận đưa trường hợp này ra bàn trong buổi sinh hoạt của thôn.",
            "Cả thôn thống nhất mỗi hộ góp ít nhất hai ngày công; Chi hội Cựu chiến binh nhận phần dựng khung, Chi đoàn thanh niên lo vận chuyển vật liệu.",
            "Cùng với phần hỗ trợ của xã và các nhà hảo tâm, căn nhà mới rộng hơn 40 mét vuông đã hoàn thành sau hơn một tháng.",
            "Tổ dân vận cho biết sẽ tiếp tục rà soát, đề nghị hỗ trợ các hộ còn ở nhà tạm trong thôn.",
        ],
        None,
    ),
    (
        "doi-song-co-so", "lang-xanh",
        "Phụ nữ {commune} chung tay giữ đường làng xanh, sạch, đẹp",
        "Mỗi chiều thứ Bảy, các chi hội phụ nữ ở {commune} ra quân quét dọn, trồng hoa dọc đường làng; rác thải được phân loại ngay tại nhà.",
        [
            "Mô hình bắt đầu từ một chi hội rồi lan ra khắp các thôn của {commune}. Mỗi chi hội nhận chăm sóc một đoạn đường, đặt tên cho đoạn đường hoa của mình.",
            "Hội viên được hướng dẫn phân loại rác: rác hữu cơ ủ làm phân bón cho vườn, rác tái chế gom bán lấy tiền lập quỹ của chi hội.",
            "Tổ dân vận các thôn đưa nội dung giữ gìn vệ sinh vào hương ước, nhắc nhở trong các buổi họp dân.",
            "Sau một năm, nhiều đoạn đường trước đây là nơi đổ rác đã thành đường hoa, người dân quen với việc không xả rác ra đường.",
        ],
        None,
    ),
    (
        "doi-song-co-so", "an-toan-mang",
        "{Commune} tuyên truyền phòng chống lừa đảo qua mạng cho người cao tuổi",
        "Các Tổ dân vận ở {commune} mở nhiều buổi nói chuyện ngắn tại nhà văn hóa, giúp người cao tuổi nhận biết các chiêu lừa qua điện thoại và mạng xã hội.",
        [
            "Thời gian qua, trên địa bàn xảy ra một số vụ giả danh cơ quan chức năng gọi điện yêu cầu chuyển tiền. Người bị nhắm tới phần lớn là người cao tuổi sống một mình.",
            "Công an xã phối hợp với Tổ dân vận tổ chức các buổi nói chuyện ngắn, dùng ví dụ cụ thể và hướng dẫn cách xử lý: không chuyển tiền, không cung cấp mã xác thực, gọi cho con cháu hoặc công an xã khi nghi ngờ.",
            "Đoàn viên thanh niên giúp người già cài đặt chế độ chặn cuộc gọi lạ và lưu sẵn số điện thoại của công an xã, trưởng thôn.",
            "Sau các buổi tuyên truyền, nhiều người đã báo lại cho tổ những cuộc gọi đáng ngờ thay vì làm theo.",
        ],
        ("an-toan-mang", "Hướng dẫn người cao tuổi nhận biết tin nhắn lừa đảo (tranh minh họa)."),
    ),
    (
        "dan-van-kheo", "hoi-nghi",
        "Cựu chiến binh {village}: người “giữ lửa” trong Tổ dân vận",
        "Gần mười năm làm tổ phó Tổ dân vận, một cựu chiến binh ở {village} ({commune}) được bà con tin tưởng nhờ cách nói ít, làm nhiều và luôn đi trước.",
        [
            "Mỗi khi thôn có việc chung, ông thường là người có mặt sớm nhất. Bà con quen gọi ông là người “giữ lửa” của Tổ dân vận.",
            "Ông kể, muốn dân nghe thì mình phải làm trước: khi thôn vận động hiến đất làm đường, gia đình ông là hộ đầu tiên ký cam kết.",
            "Những lúc có mâu thuẫn trong thôn, ông kiên nhẫn đến từng nhà, nghe hết rồi mới nói. Nhiều vụ việc nhỏ được giải quyết ngay trong thôn.",
            "Năm nay, ông được đề nghị khen thưởng là gương điển hình trong phong trào thi đua “Dân vận khéo” của {province}.",
        ],
        None,
    ),
]  # fmt: skip


@dataclasses.dataclass
class NewsDemoCounts:
    categories: int = 0
    articles: int = 0
    images: int = 0
    scheduled: int = 0
    archived: int = 0
    drafts: int = 0


def _font(size: int):
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return None  # no font with Vietnamese letters: the picture has no words


def _draw(picture: Picture, rng: random.Random) -> PILImage.Image:
    """A simple flat illustration: a sky gradient, hills, houses, trees, a sun, and the
    picture's label on a band (when a font with Vietnamese letters is installed)."""
    width, height = SIZE
    canvas = PILImage.new("RGB", SIZE)
    draw = ImageDraw.Draw(canvas)
    top = picture.sky
    bottom = tuple(min(255, c + 40) for c in top)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    draw.ellipse([width - 260, 60, width - 140, 180], fill=(255, 214, 90))
    horizon = int(height * 0.62)
    for i in range(3):
        shade = tuple(max(0, c - 25 * i) for c in picture.ground)
        x = rng.randint(-200, width - 400)
        draw.ellipse([x, horizon - 120 + 30 * i, x + 700, horizon + 260], fill=shade)
    draw.rectangle([0, horizon, width, height], fill=picture.ground)
    draw.polygon(
        [
            (width * 0.42, height),
            (width * 0.58, height),
            (width * 0.52, horizon),
            (width * 0.48, horizon),
        ],
        fill=(200, 200, 196),
    )
    for i in range(rng.randint(3, 5)):
        x = 60 + i * 220 + rng.randint(-30, 30)
        if width * 0.38 < x < width * 0.62:
            x += 180
        y = horizon + rng.randint(-10, 40)
        wall = (rng.randint(215, 245), rng.randint(200, 230), rng.randint(170, 200))
        draw.rectangle([x, y - 90, x + 140, y], fill=wall)
        draw.polygon([(x - 15, y - 90), (x + 155, y - 90), (x + 70, y - 150)], fill=(175, 60, 45))
        draw.rectangle([x + 55, y - 50, x + 85, y], fill=(110, 70, 40))
    for _tree in range(6):
        x = rng.randint(0, width)
        y = horizon + rng.randint(60, 200)
        draw.rectangle([x - 6, y - 40, x + 6, y], fill=(100, 70, 40))
        draw.ellipse([x - 40, y - 110, x + 40, y - 30], fill=(40, 120, 60))
    font = _font(56)
    if font is not None:
        draw.rectangle([0, height - 110, width, height], fill=(163, 21, 21))
        draw.text((40, height - 92), picture.label, font=font, fill=(255, 255, 255))
    return canvas


def _demo_image(picture: Picture, *, seed: int) -> Image:
    """The picture as an ``Image`` row; its files are drawn once and reused by later runs
    (same name for the same seed)."""
    base = f"news/demo/{seed}-{picture.key}"
    names = [f"{base}.jpg"] + [f"{base}-w{w}.{e}" for w in IMAGE_WIDTHS for e in ("jpg", "webp")]
    if all(default_storage.exists(name) for name in names):
        variants = []
        for width in IMAGE_WIDTHS:
            height = round(SIZE[1] * width / SIZE[0])
            variants.append(
                {
                    "width": width,
                    "height": height,
                    "jpeg": f"{base}-w{width}.jpg",
                    "webp": f"{base}-w{width}.webp",
                }
            )
        fields = {"file": names[0], "width": SIZE[0], "height": SIZE[1], "variants": variants}
    else:
        for name in names:
            default_storage.delete(name)
        fields = images.store_picture(
            _draw(picture, random.Random(f"{seed}-{picture.key}")), base_name=base
        )
    image = Image(alt=picture.alt, **fields)
    image.save()
    return image


def _figure(image: Image, caption: str) -> str:
    return (
        f'<figure><img src="{escape(image.url)}" alt="{escape(image.alt)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _places(provinces: list[Area]) -> list[dict]:
    """The communes of ``provinces`` (at most 60, in path order) with their villages and
    province: where the articles happen."""
    if not provinces:
        return []
    condition = Q()
    for province in provinces:
        condition |= Q(path__descendant_of=province.path)
    in_provinces = Area.objects.filter(condition, level=Level.COMMUNE).order_by("path")
    # Communes the roster demo gave villages first: their village teams are the stories.
    with_villages = in_provinces.filter(
        Exists(Area.objects.filter(parent=OuterRef("pk"), level=Level.VILLAGE))
    )
    communes = list(with_villages[:60])
    communes += list(in_provinces.exclude(pk__in=[c.pk for c in communes])[: 60 - len(communes)])
    villages: dict[int, list[Area]] = {}
    for village in Area.objects.filter(level=Level.VILLAGE, parent__in=communes).order_by("path"):
        villages.setdefault(village.parent_id, []).append(village)
    places = []
    for commune in communes:
        province = next((p for p in provinces if commune.path.startswith(p.path)), None)
        places.append(
            {"province": province, "commune": commune, "villages": villages.get(commune.pk, [])}
        )
    return places


def _in_sentence(area: Area | None, fallback: str) -> str:
    """ "xã Bằng Thành", "thôn Nà Pục", "tỉnh Bắc Kạn": the type word in lower case, as
    inside a sentence."""
    if area is None:
        return fallback
    word = area.type_word.lower()
    if word and area.name.lower().startswith(word + " "):
        return word + area.name[len(word) :]
    return f"{word} {area.name}" if word else area.name


FALLBACK_VILLAGES = (
    "thôn Nà Pục",
    "bản Huổi Mạ",
    "thôn Đồng Tâm",
    "tổ dân phố số 5",
    "buôn Ea Sup",
)
BYLINES = ("Minh Anh", "Hoàng Lan", "Đức Thịnh", "Lò Thị Hoa", "Nông Văn Quý", "H'Linh Niê")
CAPTIONS = ("", "Ảnh minh họa.", "Ảnh minh họa do ban biên tập thực hiện.")


def _values(place, *, turn: int, year: int, rng: random.Random) -> dict:
    """What fills a topic's placeholders at ``place``."""
    commune = place["commune"] if place else None
    villages = place["villages"] if place else []
    if villages:
        village = _in_sentence(villages[turn % len(villages)], "")
    else:
        village = FALLBACK_VILLAGES[
            (turn + (commune.pk if commune else 0)) % len(FALLBACK_VILLAGES)
        ]
    commune_words = _in_sentence(commune, "xã Tân Lập")
    return {
        "commune": commune_words,
        "Commune": commune_words[:1].upper() + commune_words[1:],
        "village": village,
        "province": _in_sentence(place["province"] if place else None, "tỉnh"),
        "quarter": ("I", "II", "III", "IV")[turn % 4],
        "year": year,
        "count": rng.randint(12, 60),
        "length": rng.choice([450, 620, 800, 1200, 1500]),
        "households": rng.randint(9, 38),
    }


def _body(values: dict, paragraphs, inline, pictures) -> str:
    parts = [f"<p>{escape(p.format(**values))}</p>" for p in paragraphs]
    if inline:
        parts.insert(2, _figure(pictures[inline[0]], inline[1]))
    if len(paragraphs) > 3:
        parts.insert(-1, f"<h2>{escape('Những việc tiếp theo')}</h2>")
    return "".join(parts)


def news_generate(*, provinces: list[Area], seed: int = 1, now=None) -> NewsDemoCounts:
    """Categories and about three dozen articles about ``provinces`` (their communes and
    villages as generated by the roster demo): 2 drafts, 3 scheduled for the coming
    days, the rest published over the last months, 3 of them archived since. Does
    nothing when the demo's categories already hold articles."""
    counts = NewsDemoCounts()
    if Article.objects.filter(category__slug__in=[c[0] for c in CATEGORIES]).exists():
        return counts
    now = now or timezone.now()
    rng = random.Random(seed)
    places = _places(provinces) or [None]
    with transaction.atomic(), audit_context(reason=DEMO_REASON):
        categories = {}
        for position, (slug, name, description) in enumerate(CATEGORIES):
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                category = services.category_create(
                    name=name,
                    slug=slug,
                    description=description,
                    position=position,
                    acting_user=None,
                )
                counts.categories += 1
            categories[slug] = category
        pictures = {picture.key: _demo_image(picture, seed=seed) for picture in PICTURES}
        counts.images = len(pictures)

        year = timezone.localdate(now).year
        plan = [(r, i, topic) for r in range(3) for i, topic in enumerate(TOPICS)]
        rng.shuffle(plan)
        used_titles: set[str] = set()
        number = 0
        for round_number, index, topic in plan:
            slug, picture_key, title, summary, paragraphs, inline = topic
            # The first place, in a stable walk through them, that makes a new title.
            for attempt in range(len(places)):
                place = places[(index * 3 + round_number * 7 + attempt) % len(places)]
                values = _values(place, turn=index + round_number, year=year, rng=rng)
                if title.format(**values) not in used_titles:
                    break
            article_title = title.format(**values)
            if article_title in used_titles:
                continue
            used_titles.add(article_title)
            cover = pictures[picture_key]
            article = services.article_create(
                acting_user=None,
                title=article_title,
                summary=summary.format(**values),
                body=_body(values, paragraphs, inline, pictures),
                category=categories[slug],
                area=place["commune"] if place else None,
                byline=rng.choice(BYLINES),
                cover=cover,
                cover_alt=cover.alt,
                cover_caption=rng.choice(CAPTIONS),
                cover_credit="Ban biên tập",
            )
            counts.articles += 1
            number += 1
            if number <= 2:
                counts.drafts += 1
            elif number <= 5:
                at = now + datetime.timedelta(days=number - 2, hours=rng.randint(1, 9))
                services.article_schedule(article=article, publish_at=at, acting_user=None, now=now)
                counts.scheduled += 1
            else:
                published = now - datetime.timedelta(
                    days=(number - 6) * 4 + rng.randint(0, 3), hours=rng.randint(1, 12)
                )
                article = services.article_publish(article=article, acting_user=None, now=published)
                if number in (9, 13, 21):
                    services.article_archive(article=article, acting_user=None)
                    counts.archived += 1
    return counts
