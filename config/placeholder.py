from django.shortcuts import render


def placeholder_view(request, *args, **kwargs):
    """Stands in for a page whose app has not landed yet."""
    return render(request, "placeholder.html")
