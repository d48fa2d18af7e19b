"""The floor every app stands on: machinery shared by the apps that imports nothing of
the project (area paths, Vietnamese text, the audit context and history base, form
helpers, formats). Apps import it; it imports only Django and third-party libraries
(docs/DECISIONS.md, "The floor package")."""
