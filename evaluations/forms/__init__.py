"""Forms of the ratings screens.

Scores are typed as a Vietnamese writes them ("7,5") and read by
``evaluations.scoring.parse_score``, the same parser as the services and the Excel sheet,
so a value accepted on one door is accepted on the other; the rules themselves stay in
the services, whose ``ValidationError`` the views put back on the form.

One module per screen family: ``scores`` (a stage's score sheet), ``steps`` (the steps
with a written reason, the decision list's selection), ``criteria`` (the criteria
editor), ``member_ratings`` (a roster's levels) and ``workbook`` (the score sheet's
download and upload).
"""
