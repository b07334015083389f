from django import forms


class ResultUploadForm(forms.Form):
    file = forms.FileField(label="渠道回盘文件（.xlsx 或 .csv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只接受 .xlsx 或 .csv 文件")
        return upload
