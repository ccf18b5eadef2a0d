"""Files endpoints against a real server: upload, limits, list, get, download, delete."""

from __future__ import annotations

import uuid

import httpx

from tests.api.conftest import assert_error, upload, upload_one
from tests.api.documents import invoice_pdf, png_bytes, statement_pdf
from tests.api.live import LiveServer


def test_upload_one_statement_pdf(client_a: httpx.Client) -> None:
    pdf = statement_pdf(101)
    r = upload(client_a, ("march.pdf", pdf))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    data = body["data"]
    assert data["status"] == "done"
    [entry] = data["files"]
    uuid.UUID(entry["doc_id"])
    assert entry["filename"] == "march.pdf"
    assert entry["type"] == "bank_statement"
    assert entry["validation"] == {"page_count": 1, "file_size": len(pdf), "format": "pdf"}
    assert "error" not in entry


def test_upload_classifies_invoice_and_image(client_a: httpx.Client) -> None:
    r = upload(client_a, ("inv.pdf", invoice_pdf("INV-T-1")), ("photo.png", png_bytes()))
    assert r.status_code == 200, r.text
    inv, img = r.json()["data"]["files"]
    assert inv["type"] == "invoice"
    assert img["validation"]["format"] == "png"
    assert img["type"] in ("bank_statement", "invoice", "other")


def test_partial_error_is_207_and_rejected_file_has_no_doc_id(client_a: httpx.Client) -> None:
    r = upload(client_a, ("ok.pdf", statement_pdf(102)), ("notes.pdf", b"just some text, not a document"))
    assert r.status_code == 207, r.text
    data = r.json()["data"]
    assert data["status"] == "partial_error"
    good, bad = data["files"]
    assert good["doc_id"]
    assert "doc_id" not in bad
    assert bad["filename"] == "notes.pdf"
    assert bad["error"]["code"] == "UNSUPPORTED_FORMAT"


def test_all_rejected_answers_with_the_error(client_a: httpx.Client) -> None:
    r = upload(client_a, ("evil.pdf", b"MZ\x90\x00 this is an executable, named .pdf"))
    assert_error(r, 415, "UNSUPPORTED_FORMAT")


def test_corrupt_pdf(client_a: httpx.Client) -> None:
    broken = statement_pdf(103)[:700]  # a PDF header and then nothing readable
    err = assert_error(upload(client_a, ("broken.pdf", broken)), 400, "CORRUPT_DOCUMENT")
    assert "broken.pdf" in (err["details"] or "")


def test_pdf_with_an_unloadable_page_tree_is_corrupt_at_upload(client_a: httpx.Client) -> None:
    """The header and xref are fine, but /Count announces 7 pages and the tree holds one."""
    from tests.documents.test_bad_inputs import DAMAGED_TREES

    lying = DAMAGED_TREES["/Count says 7, one kid"]
    err = assert_error(upload(client_a, ("lying.pdf", lying)), 400, "CORRUPT_DOCUMENT")
    assert "lying.pdf" in (err["details"] or "")
    r = upload(
        client_a, ("ok.pdf", statement_pdf(104)), ("not-a-page.pdf", DAMAGED_TREES["the page is a number"])
    )
    assert r.status_code == 207, r.text
    good, bad = r.json()["data"]["files"]
    assert good["doc_id"] and "doc_id" not in bad
    assert bad["error"]["code"] == "CORRUPT_DOCUMENT"


def test_file_too_large_alone_and_in_a_mix(client_a: httpx.Client) -> None:
    big = statement_pdf(104) + b"\n%" + b"x" * 310_000  # still a PDF by its bytes, over the 300 kB limit
    assert_error(upload(client_a, ("big.pdf", big)), 413, "FILE_TOO_LARGE")
    r = upload(client_a, ("big.pdf", big), ("small.pdf", statement_pdf(105)))
    assert r.status_code == 207
    big_entry, small_entry = r.json()["data"]["files"]
    assert big_entry["error"]["code"] == "FILE_TOO_LARGE"
    assert small_entry["doc_id"]


def test_too_many_files(client_a: httpx.Client) -> None:
    files = [(f"f{i}.pdf", statement_pdf(110 + i)) for i in range(5)]  # limit is 4
    err = assert_error(upload(client_a, *files), 413, "FILE_TOO_LARGE")
    assert "4" in err["message"]


def test_upload_without_files_or_multipart(client_a: httpx.Client) -> None:
    assert_error(client_a.post("/files/upload", json={"files": []}), 400, "INVALID_REQUEST")
    r = client_a.post("/files/upload", data={"comment": "no file here"}, files=[("other", ("x", b"y"))])
    assert_error(r, 400, "INVALID_REQUEST")


def test_legacy_parse_upload_alias(client_a: httpx.Client) -> None:
    r = upload(client_a, ("legacy.pdf", statement_pdf(120)), path="/parse/upload")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["files"][0]["type"] == "bank_statement"


def test_list_newest_first_paging_and_filters(live_server: LiveServer) -> None:
    key = live_server.new_key("tenant-list")
    with live_server.client(key) as client:
        ids = [upload_one(client, f"s{i}.pdf", statement_pdf(130 + i)) for i in range(3)]
        inv = upload_one(client, "inv.pdf", invoice_pdf("INV-L-1"))
        r = client.get("/files", params={"page": 1, "page_size": 2})
        assert r.status_code == 200
        data = r.json()["data"]
        assert data["total"] == 4 and data["page"] == 1 and data["page_size"] == 2
        assert [f["id"] for f in data["files"]] == [inv, ids[2]]
        page2 = client.get("/files", params={"page": 2, "page_size": 2}).json()["data"]
        assert [f["id"] for f in page2["files"]] == [ids[1], ids[0]]
        first = data["files"][0]
        assert set(first) >= {
            "id",
            "filename",
            "file_id",
            "type",
            "status",
            "size",
            "created_at",
            "completed_at",
        }
        assert first["file_id"] == first["id"] and first["status"] in ("uploaded", "processing")
        only_inv = client.get("/files", params={"type": "invoice"}).json()["data"]
        assert [f["id"] for f in only_inv["files"]] == [inv]
        assert client.get("/files", params={"status": "uploaded"}).json()["data"]["total"] == 4
        assert_error(client.get("/files", params={"page_size": 101}), 400, "VALIDATION_ERROR")
        assert_error(client.get("/files", params={"page": 0}), 400, "VALIDATION_ERROR")
        assert_error(client.get("/files", params={"type": "receipt"}), 400, "INVALID_REQUEST")


def test_get_and_download_with_hostile_filename(client_a: httpx.Client, live_server: LiveServer) -> None:
    pdf = statement_pdf(140)
    hostile = '../../etc/pa"ss\r\nwd Ü.pdf'
    doc = upload_one(client_a, hostile, pdf)
    r = client_a.get(f"/files/{doc}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["id"] == doc and data["processed_data"] is None
    assert "/" not in data["filename"] and '"' not in data["filename"] and "\n" not in data["filename"]
    assert data["filename"].endswith("wd Ü.pdf")
    d = client_a.get(f"/files/{doc}/download")
    assert d.status_code == 200
    assert d.content == pdf
    assert d.headers["content-type"] == "application/pdf"
    disposition = d.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "\r" not in disposition and "../" not in disposition
    # Stored by content hash only: nothing named after the client's file exists on disk.
    names = [p.name for p in live_server.data_dir.rglob("*")]
    assert not any("wd" in n or "pa_ss" in n for n in names)


def test_delete_then_conflict_gone_and_hidden(client_a: httpx.Client) -> None:
    doc = upload_one(client_a, "to-delete.pdf", statement_pdf(150))
    r = client_a.delete(f"/files/{doc}")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["status"] == "deleted"
    assert_error(client_a.delete(f"/files/{doc}"), 409, "CONFLICT")
    assert_error(client_a.get(f"/files/{doc}/download"), 410, "GONE")
    assert client_a.get(f"/files/{doc}").json()["data"]["status"] == "deleted"
    listed = client_a.get("/files", params={"page_size": 100}).json()["data"]["files"]
    assert doc not in [f["id"] for f in listed]
    deleted = client_a.get("/files", params={"status": "deleted", "page_size": 100}).json()["data"]["files"]
    assert doc in [f["id"] for f in deleted]
    assert_error(client_a.post("/parse/statements", json={"document_id": doc}), 410, "GONE")


def test_shared_bytes_survive_until_last_reference_is_deleted(
    client_a: httpx.Client, client_b: httpx.Client, live_server: LiveServer
) -> None:
    import hashlib

    pdf = statement_pdf(160)
    files_dir = live_server.data_dir / "files"
    sha = hashlib.sha256(pdf).hexdigest()
    path = files_dir / sha[:2] / sha[2:4] / sha
    doc_a = upload_one(client_a, "same.pdf", pdf)
    doc_b = upload_one(client_b, "same.pdf", pdf)
    assert path.is_file()
    assert client_a.delete(f"/files/{doc_a}").status_code == 200
    assert path.is_file()
    assert client_b.get(f"/files/{doc_b}/download").content == pdf
    assert client_b.delete(f"/files/{doc_b}").status_code == 200
    assert not path.exists()


def test_unknown_and_malformed_file_ids(client_a: httpx.Client) -> None:
    assert_error(client_a.get(f"/files/{uuid.uuid4()}"), 404, "NOT_FOUND")
    assert_error(client_a.get("/files/not-a-uuid/download"), 404, "NOT_FOUND")
    assert_error(client_a.delete("/files/" + "x" * 300), 404, "NOT_FOUND")
