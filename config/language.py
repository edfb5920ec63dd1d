"""The language of the pages: the one the person chose (Django's set_language view, the
language choice at the top of every page), otherwise Danish.

Django's LocaleMiddleware also follows the browser's Accept-Language: an office PC or phone
set up in English would then get English pages nobody asked for, half translated while the
English catalogue (locale/en) is being written. Danish is the jobcentres' language; English
is a choice.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
