from django.urls import path

from . import views

app_name = "preferences"

# The token is django.core.signing output: URL-safe base64 and colons.
urlpatterns = [
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("team/<str:token>/", views.team, name="team"),
]
