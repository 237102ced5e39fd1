"""A three-page plan as a PDF with a text layer, made with fpdf2 in a font with Vietnamese glyphs,
for the tests of pages of an original PDF (service/pdf_pages.py, the chat's link to the page).
The plan is made up: a commune that does not exist, figures of no real plan."""

from __future__ import annotations

from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# printed at the top of every page, as plans print their title
RUNNING_HEADER = "Kế hoạch phòng chống bệnh sởi xã Zorbanta năm 2026"
PLAN_PAGES = (
    (
        "ỦY BAN NHÂN DÂN XÃ ZORBANTA",
        "Số: 15/KH-UBND",
        "KẾ HOẠCH",
        "Phòng chống bệnh sởi trên địa bàn xã Zorbanta năm 2026",
        "I. Mục đích, yêu cầu",
        "Chủ động phát hiện sớm, khoanh vùng và xử lý kịp thời các ổ dịch sởi, không để dịch lan "
        "rộng trong cộng đồng dân cư của xã Zorbanta.",
    ),
    (
        "II. Mục tiêu",
        "1. Tỷ lệ trẻ em dưới 1 tuổi được tiêm đủ liều vắc xin sởi đạt 97% trong năm 2026.",
        "2. Tỷ lệ trẻ em từ 18 tháng tuổi được tiêm nhắc vắc xin sởi - rubella đạt 93%.",
    ),
    (
        "III. Kinh phí",
        "Tổng kinh phí thực hiện kế hoạch là 350 triệu đồng, từ nguồn ngân sách xã Zorbanta.",
        "IV. Tổ chức thực hiện",
        "Trạm y tế xã Zorbanta chủ trì, phối hợp với các thôn tổ chức tiêm bù cho trẻ chưa tiêm "
        "đủ liều.",
    ),
)


def plan_pdf(
    pages: tuple[tuple[str, ...], ...] = PLAN_PAGES,
    header: str = RUNNING_HEADER,
    numbered: bool = False,
) -> bytes:
    """A PDF with a text layer: the running header, then one paragraph per string, a page each;
    numbered "- 1 -", "- 2 -" at the foot of each page when asked."""
    from fpdf import FPDF

    class Plan(FPDF):
        def header(self) -> None:
            if header:
                self.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self) -> None:
            if numbered:
                self.set_y(-15)
                self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Plan()
    pdf.add_font("DejaVu", "", str(DEJAVU))
    pdf.set_font("DejaVu", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
