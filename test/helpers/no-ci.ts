// Ink reads CI when it is first imported and then draws only the final frame and ignores
// resizes (LAB.md). CI sets CI=true; the console's users' terminals do not: the component tests
// must see what users see.
delete process.env.CI;
