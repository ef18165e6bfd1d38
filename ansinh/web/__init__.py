"""Server-rendered pages for officers, employers and citizens, in Vietnamese and English."""
