from django.urls import path

from superconnector.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.my_data, name="my-data"),
    path("welcome/", views.welcome, name="welcome"),
    path("download/", views.download, name="download"),
    path("erase/", views.erase, name="erase"),
]
