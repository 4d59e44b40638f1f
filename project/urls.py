from django.contrib import admin
from django.urls import include, path

from apps.ops import views as ops_views

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("apps.preferences.urls")),
]
