"""Content types and permissions follow models moved between apps (used by the
migrations that move StaffProfile and the account histories out of units into accounts,
and ExportRecord into audit; docs/DECISIONS.md).

A group's rights point at permission rows, and a permission row at its model's content
type: renaming the content type's app label keeps every row, so groups keep their rights
under the new name ("units.manage_accounts" becomes "accounts.manage_accounts"). Not a
migration (the loader skips modules starting with "_").
"""


def move_permission(apps, db: str, permission, content_type) -> None:
    """Attach ``permission`` to ``content_type``; when that content type already has a
    permission of the same codename (created by a ``post_migrate`` before this ran), its
    groups and users get that one and ``permission`` goes."""
    Permission = apps.get_model("auth", "Permission")
    existing = (
        Permission.objects.using(db)
        .filter(content_type=content_type, codename=permission.codename)
        .exclude(pk=permission.pk)
        .first()
    )
    if existing is None:
        permission.content_type = content_type
        permission.save(update_fields=["content_type"])
        return
    existing.group_set.add(*permission.group_set.all())
    existing.user_set.add(*permission.user_set.all())
    permission.delete()


def move_content_types(apps, db: str, models: tuple[str, ...], old: str, new: str) -> None:
    """The content types of ``models`` go from app label ``old`` to ``new``."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in models:
        moving = ContentType.objects.using(db).filter(app_label=old, model=model).first()
        if moving is None:
            continue
        taken = ContentType.objects.using(db).filter(app_label=new, model=model).first()
        if taken is None:
            moving.app_label = new
            moving.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.using(db).filter(content_type=moving):
            move_permission(apps, db, permission, taken)
        moving.delete()
    ContentType.objects.clear_cache()


def move_codename(apps, db: str, codename: str, old: tuple[str, str], new: tuple[str, str]):
    """The permission ``codename`` of model ``old`` (app label, model) goes to ``new``."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    permission = (
        Permission.objects.using(db)
        .filter(content_type__app_label=old[0], content_type__model=old[1], codename=codename)
        .first()
    )
    if permission is None:  # a fresh database: post_migrate creates it where it belongs
        return
    target, _created = ContentType.objects.using(db).get_or_create(
        app_label=new[0], model=new[1]
    )
    move_permission(apps, db, permission, target)
