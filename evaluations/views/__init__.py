"""Ratings screens: thin views. Reads come from ``evaluations.selectors`` (an object
outside the user's area answers 404, like one that does not exist); writes go through
``evaluations.services``, which check the permission and the area again and whose
``ValidationError`` goes back on the form with nothing written. Actions the user may not
take are hidden; their URLs answer 403.

One module per screen family: ``overview`` (the units of an area, the decision list),
``unit_ratings`` (a unit's sheet, the proposal, the decision), ``steps`` (the steps with a
written reason), ``criteria``, ``member_ratings`` and ``workbook`` (the score sheet as an
Excel file); ``base`` holds what they share.
"""
