import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from liaison.common.wsgi import application_for_site

application = application_for_site()
