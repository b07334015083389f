"""Uploaded evidence (admission letters, 非恶意逾期 proof) leaves MEDIA_ROOT only through here,
after the scoped selector found the record (another borrower's file is a 404)."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404


def stored_file_response(field):
    if not field:
        raise Http404("没有上传文件")
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / field.name).resolve()
    if not path.is_relative_to(root) or not path.exists():
        raise Http404("文件不存在")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"证明材料{path.suffix}")
    response["Cache-Control"] = "private, no-store"
    return response
