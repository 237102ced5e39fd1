"""Public retrieval sets (question, context[, qid, doc_id] + optional qrels) are indexed by the
product's own indexer and scored by gold document."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from eval.dataset import DatasetError
from eval.public import load_public
from service.cli import app

runner = CliRunner()

CONTEXTS = {
    "bhyt": "Năm 2025, tỷ lệ bao phủ bảo hiểm y tế toàn dân của tỉnh đạt 95%, tăng 2% so với năm trước.",
    "tiem": "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin đạt 97% trong năm 2024.",
    "sot": "Trong năm, toàn tỉnh ghi nhận 1.803 ca sốt xuất huyết, giảm 35% so với cùng kỳ, không có tử vong.",
    "giuong": "Số giường bệnh trên một vạn dân đạt 35,8 giường; công suất sử dụng giường bệnh là 92%.",
    "duoc": "Sở Y tế kiểm tra 217 cơ sở kinh doanh dược, xử phạt 12 cơ sở vi phạm về giá thuốc.",
    "attp": "Đoàn liên ngành an toàn thực phẩm kiểm tra 1.250 cơ sở sản xuất, kinh doanh thực phẩm.",
}
QUESTIONS = [
    ("q1", "Tỷ lệ bao phủ bảo hiểm y tế toàn dân năm 2025 là bao nhiêu?", "bhyt"),
    ("q2", "Bao nhiêu phần trăm trẻ dưới 1 tuổi được tiêm chủng đầy đủ?", "tiem"),
    ("q3", "Có bao nhiêu ca sốt xuất huyết trong năm?", "sot"),
    ("q4", "Số giường bệnh trên vạn dân là bao nhiêu?", "giuong"),
    ("q5", "Bao nhiêu cơ sở kinh doanh dược bị xử phạt về giá thuốc?", "duoc"),
    ("q6", "how many food businesses did the food safety team inspect?", "attp"),
]


def write_csv(path, with_ids=True):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["qid", "question", "context", "doc_id"] if with_ids else ["question", "context"]
        )
        for qid, question, doc in QUESTIONS:
            row = [qid, question, CONTEXTS[doc], doc] if with_ids else [question, CONTEXTS[doc]]
            writer.writerow(row)


def test_a_synthetic_public_set_is_scored_by_gold_document(tmp_path, cli_env, seed_settings):
    questions = tmp_path / "questions.csv"
    write_csv(questions, with_ids=False)
    result = runner.invoke(
        app,
        [
            "eval",
            "--public",
            str(questions),
            "--mode",
            "lexical",
            "--mode",
            "hybrid",
            "--json",
            "--cache-dir",
            str(tmp_path / "kept"),
        ],
        env=cli_env(seed_settings),
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["public"] is True
    assert payload["questions"] == 6 and payload["contexts"] == 6 and payload["passages"] >= 6
    hybrid = payload["retrieval"]["hybrid"][0]
    assert hybrid["group"] == "all" and hybrid["questions"] == 6
    assert hybrid["r10"] == 1.0 and hybrid["r1"] >= 5 / 6
    assert {row["group"] for row in payload["retrieval"]["hybrid"]} == {"all", "vi", "en"}


def test_qrels_decide_the_gold_documents(tmp_path, cli_env, seed_settings):
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        "\n".join(
            json.dumps(
                {"qid": qid, "question": q, "context": CONTEXTS[doc], "doc_id": doc},
                ensure_ascii=False,
            )
            for qid, q, doc in QUESTIONS
        ),
        encoding="utf-8",
    )
    qrels = tmp_path / "qrels.tsv"
    # BEIR layout; q1 is judged against the wrong document on purpose, q2 has a 0 score row
    rows = ["query-id\tcorpus-id\tscore", "q1\tduoc\t1", "q2\ttiem\t1", "q2\tbhyt\t0"]
    rows += [f"{qid}\t{doc}\t1" for qid, _, doc in QUESTIONS[2:]]
    qrels.write_text("\n".join(rows) + "\n", encoding="utf-8")
    public = load_public(questions, qrels)
    gold = {item.item_id: item.docs for item in public.items}
    assert gold["q1"] == ("duoc",) and gold["q2"] == ("tiem",)
    result = runner.invoke(
        app,
        [
            "eval",
            "--public",
            str(questions),
            "--qrels",
            str(qrels),
            "--json",
            "--mode",
            "lexical",
            "--miss-k",
            "1",
            "--cache-dir",
            str(tmp_path / "kept"),
        ],
        env=cli_env(seed_settings),
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert "q1" in payload["misses"]["lexical"]  # its own context is no longer gold
    assert payload["retrieval"]["lexical"][0]["r1"] < 1.0


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("question,text\nq,c\n", "line 1: missing column(s) context"),
        ("question,context\nq,c\n,c2\n", "line 3: 'question' is empty"),
        (
            "qid,question,context,doc_id\n1,q,c,d\n2,q2,other,d\n",
            "line 3: doc_id 'd' has a different context",
        ),
    ],
)
def test_malformed_public_sets_are_reported_with_their_line(tmp_path, content, fragment):
    path = tmp_path / "set.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        load_public(path)
