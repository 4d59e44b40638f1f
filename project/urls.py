from django.contrib import admin
from django.urls import include, path, re_path

from apps.delivery import views as delivery_views
from apps.inbound import views as inbound_views
from apps.ops import views as ops_views

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("apps.preferences.urls")),
    # Webhooks answer with and without the trailing slash: a redirect loses the POST.
    re_path(r"^hooks/sendgrid/events/?$", delivery_views.sendgrid_events, name="sendgrid-events"),
    re_path(r"^hooks/sendgrid/inbound/?$", inbound_views.sendgrid_inbound, name="sendgrid-inbound"),
]
