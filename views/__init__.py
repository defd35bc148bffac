"""What the page scripts in `pages/` draw with: page furniture (`ui`), cached reads (`reads`),
charts, tables and the words shown to users. Kept out of `pages/` so that only page scripts
sit there: Streamlit serves every file in `pages/` as a page when it is the first URL a fresh
server is asked for, and a helper module opened that way drew a blank page listing every module.
"""
