"""Test clients as visitors: a browser that uploaded before carries its signed visitor cookie."""
import secrets

from django.core import signing
from django.test import Client

from recognizer.access import VISITOR_COOKIE, VISITOR_SALT


def become_visitor(client, key=None):
    """Give `client` a visitor cookie, as the site gives a browser on its first upload; returns the key."""
    key = key or secrets.token_hex(16)
    signer = signing.get_cookie_signer(salt=VISITOR_COOKIE + VISITOR_SALT)
    client.cookies[VISITOR_COOKIE] = signer.sign(key)
    return key


def visitor_client(**kwargs):
    client = Client(**kwargs)
    return client, become_visitor(client)
