"""PowerPoint import and export of lessons: archive checks, reader, writer."""
