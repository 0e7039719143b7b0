from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "polesocial.users"
    label = "users"
