//%attributes = {"invisible":true}
// Installed by build4d_run with ON ERR CALL: keeps 4D's errors for the result file (4D runs headless).

var $error : Object

For each ($error; Last errors)
	build4d_errors.push($error)
End for each 
