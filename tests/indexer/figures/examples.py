"""Small documents cut from the seeds, and the whole indexing path over them (clean, structure,
extract), shared by the figure tests."""

from __future__ import annotations

from functools import cache

from indexer.clean import clean_text
from indexer.figures import extract_figures
from indexer.models import Figure, FigureKind, Passage
from indexer.structure import structure
from tests.conftest import CORPUS

SEED_PREFIXES = ("000", "001", "002", "003", "004")


def figures_in(
    raw: str,
    *,
    default_scope: str | None = None,
    default_year: int | None = None,
    default_kind: FigureKind | None = None,
) -> list[Figure]:
    """The whole indexing path over a small document: clean, structure, extract."""
    text = clean_text(raw).text
    return extract_figures(
        text,
        structure("doc", text).passages,
        default_scope=default_scope,
        default_year=default_year,
        default_kind=default_kind,
    )


def written(figures: list[Figure], raw: str) -> Figure:
    matches = [figure for figure in figures if figure.raw == raw]
    assert matches, f"no figure written {raw!r} among {[f.raw for f in figures]}"
    return matches[0]


@cache
def seed(prefix: str) -> tuple[str, tuple[Passage, ...], tuple[Figure, ...]]:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    text = clean_text(path.read_text(encoding="utf-8")).text
    passages = tuple(structure(prefix, text).passages)
    return text, passages, tuple(extract_figures(text, passages))


SECTION_TARGETS = """1.3. Các chỉ tiêu chủ yếu
TT Chỉ tiêu Đơn vị tính Chỉ tiêu Nghị quyết Đại hội 2026-2030 Năm 2025 KH đến Năm 2030
3 Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng (thể thấp còi) % <17 19,93 <17
5 Tuổi thọ trung bình Tuổi 70 68,5 70
"""

APPENDIX = """Phụ lục 1
Chỉ tiêu Y tế năm 2025
TT Chỉ số Đơn vị tính Năm 2025 Ghi chú
1 Bác sĩ/vạn dân Bác sĩ 2,1
4 Giảm tỷ lệ mất cân bằng giới tính khi sinh số bé trai/ bé gái 103-105/100
5 Củng cố và duy trì 17/17 xã, thị trấn đạt bộ tiêu chí quốc gia về y tế xã xã 17
6 Phấn đấu mỗi cặp vợ chồng trong độ tuổi sinh đẻ đủ điều kiện sinh đủ 02 con % ≥62
"""

HOSPITAL_TARGETS = """Phụ lục 2
Chỉ tiêu Khám chữa bệnh của TTYT huyện Cần Đước (hệ điều trị) năm 2025
Nội dung Chỉ tiêu
Số lượt khám bệnh 235.387
Công suất sử dụng giường bệnh ≥60
Phụ lục 3
Chỉ tiêu Khám chữa bệnh của Trung tâm Y tế huyện Cần Đước cơ sở 2 và các TYT xã năm 2025
1. Trung tâm Y tế huyện Cần Đước cơ sở 2
Nội dung Chỉ tiêu
Công suất sử dụng giường bệnh > 45%
2. Các trạm Y tế xã
Nội dung Chỉ tiêu
Số lượt khám bệnh 85.000
"""

REPORT = """1.1. Kết quả thực hiện các chỉ tiêu được giao
Năm 2023, ngành Y tế đã hoàn thành đạt và vượt các chỉ tiêu được HĐND tỉnh giao là: Tỷ lệ xã \
đạt chuẩn quốc gia về y tế đạt 100%(75/75); tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng 10,44% \
(KH <10,45%); số bác sĩ trên 10.000 người dân đạt 9,32 (KH 9,3).
- Tổng số lần khám: 1.721.470 (tuyến tỉnh: 193.929, tuyến huyện: 917.081); đạt 125,20%KH, tăng \
25,56% so với cùng kỳ.
- Bệnh Tay chân miệng: Tổng số ca mắc là 1.803 ca, tăng 1.002 ca so với cùng kỳ.
- Toàn tỉnh đã có 75/75 xã, phường, thị trấn đạt tiêu chí Quốc gia về Y tế xã, chiếm tỷ lệ 100%.
"""

GOALS = """2.1. Mục tiêu phấn đấu đến năm 2030
- Trên 95% dân số tham gia bảo hiểm y tế.
- Phấn đấu phát triển mô hình bác sĩ gia đình tối thiểu 30% xã, phường, thị trấn trên địa bàn.
- Phấn đấu giảm tỷ lệ suy dinh dưỡng thấp còi trẻ em dưới 5 tuổi xuống dưới 17% vào năm 2030.
- Giảm tỷ suất chết trẻ em dưới 1 tuổi/1000 trẻ đẻ sống dưới 20‰ vào năm 2030.
"""
