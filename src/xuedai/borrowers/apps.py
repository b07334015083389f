from django.apps import AppConfig


class BorrowersConfig(AppConfig):
    name = "xuedai.borrowers"
    verbose_name = "借款人"
