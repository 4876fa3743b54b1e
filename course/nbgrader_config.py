"""nbgrader configuration of the timfusion course (see README.md in this folder).

nbgrader reads this file when it runs with this folder as the working directory
(`cd course && nbgrader ...`, or `timfusion course build|check`, which do that for you)."""
import os

c = get_config()  # noqa: F821 (injected by traitlets)

# the course root is this folder, wherever the checkout lives
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = 'timfusion'
# the masters live in source/<assignment>/<assignment>.ipynb; one notebook per assignment
c.CourseDirectory.source_directory = 'source'
c.CourseDirectory.release_directory = 'release'

# what students see in place of solutions
c.ClearSolutions.code_stub = {'python': '# YOUR CODE HERE\nraise NotImplementedError()'}
c.ClearSolutions.text_stub = 'YOUR ANSWER HERE'

# every assignment runs in a few minutes on a 2-core CPU; a cell that takes 5 minutes is stuck
c.Execute.timeout = 300
# one kernel per notebook is enough and keeps grading deterministic
c.Execute.execute_retries = 0
