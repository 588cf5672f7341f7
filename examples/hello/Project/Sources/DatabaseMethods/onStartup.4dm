// On Startup: open the main window.
var $window : Integer:=Open form window("Main")
DIALOG("Main")
