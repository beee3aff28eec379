"""Streamlit pieces the editing pages share (the journey builder and the personas page).

- :mod:`~cxmap.app.widgets.saving`: the one save path (:func:`~.saving.submit`) and *held*
  edits: a refused save keeps the user's edits on screen with what they can do about it.
- :mod:`~cxmap.app.widgets.conflicts`: what someone else changed, in words; "Keep mine".
- :mod:`~cxmap.app.widgets.drawn` and :mod:`~cxmap.app.widgets.grid_editor`: a grid as drawn
  (rows, columns, how cells convert back) and the ``st.data_editor`` that saves as it is edited.
- :mod:`~cxmap.app.widgets.cells` and :mod:`~cxmap.app.widgets.grid_changes` (pure, no
  Streamlit): cells ↔ model values, and a grid's edits → ``Change`` lists and their inverse.
- :mod:`~cxmap.app.widgets.undo`: the undo button of a map's last saved change.
- :mod:`~cxmap.app.widgets.notices`: toasts after a rerun, the "someone else changed this
  map" note, and the confirmation of a delete.

None of them names an entity: they read the registry (:mod:`cxmap.core.entities`), so a new
kind of row needs only the page section that shows it.
"""
