from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from polesocial.notifications.models import Notification
from polesocial.notifications.services import notification_mark_read
from polesocial.privacy.features import feature_required


@feature_required("account")
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
@feature_required("account")
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    notification_mark_read(recipient=request.user, notification=notification)
    return redirect(notification.url or "notifications:list")
