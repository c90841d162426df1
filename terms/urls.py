app_name = "terms"

urlpatterns: list = []
