# The test Redis is started by the mnistsite.pytest_redis plugin (see pytest.ini), before Django reads its settings.
