from django.db import models


class Product(models.TextChoices):
    HOME_COUNTY = "home_county", "生源地信用助学贷款"
    CAMPUS = "campus", "校园地国家助学贷款"
    COMMERCIAL = "commercial", "商业助学贷款"
