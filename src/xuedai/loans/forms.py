from django import forms

from xuedai.documents.tables import MAX_UPLOAD_BYTES


class ResultUploadForm(forms.Form):
    file = forms.FileField(label="渠道回盘文件（.xlsx 或 .csv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只接受 .xlsx 或 .csv 文件")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请分文件导入")
        return upload
