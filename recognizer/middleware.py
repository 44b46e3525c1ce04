"""Turn an unreachable Redis into a 503 with a message, not a 500 page."""
from django.http import JsonResponse
from django.shortcuts import render
from redis.exceptions import ConnectionError, TimeoutError

MESSAGE = "The prediction store is unreachable right now. Please try again in a moment."


class RedisUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (ConnectionError, TimeoutError)):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"error": MESSAGE}, status=503)
        return render(request, "recognizer/unavailable.html", {"message": MESSAGE}, status=503)
