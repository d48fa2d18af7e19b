# danvan portal: gunicorn serving danvan.wsgi, static files by whitenoise.
# The steps mirror CI (.ci/run -> make install / make messages) and the production
# settings checked by tests/test_settings.py. The whole project is copied (what is left
# out is listed in .dockerignore), so a new app needs no edit here
# (tests/test_deployment.py).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DANVAN_ENV=production

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin danvan
WORKDIR /app

# Dependencies first (the [project] dependencies of pyproject.toml, as `make install`
# installs them, without the dev extra), so code changes reuse the cached layer.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The project itself runs from /app (gunicorn and manage.py put it on the path).
COPY . .
# Message catalogues (Babel, as `make messages`) and static files with hashed names.
# collectstatic needs production settings; the key below lives only in this step.
RUN pybabel compile -d locale -D django && pybabel compile -d locale -D djangojs \
 && SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media \
 && chown -R danvan:danvan /app/var

USER danvan
EXPOSE 8000
CMD ["gunicorn", "-c", "danvan/gunicorn.py", "danvan.wsgi"]
