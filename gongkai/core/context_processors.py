from django.conf import settings


def site(request):
    return {
        "platform_name": settings.GONGKAI_PLATFORM_NAME,
        "large_mode": request.COOKIES.get("display") == "large",
    }
